import { describe, expect, test } from 'vitest';
import { parseCli } from './cli.ts';

describe('the run.ts options', () => {
	test('ports come from the flags, else EMULATOR_PORT / EMULATOR_SITE_PORT, else 3210 / 3211', () => {
		expect(parseCli([], {})).toMatchObject({ port: 3210, sitePort: 3211, controlPort: null });
		const env = {
			EMULATOR_PORT: '4210',
			EMULATOR_SITE_PORT: '4211',
			EMULATOR_CONTROL_PORT: '4219'
		};
		expect(parseCli([], env)).toMatchObject({ port: 4210, sitePort: 4211, controlPort: 4219 });
		expect(parseCli(['--port', '5210'], env)).toMatchObject({ port: 5210, sitePort: 4211 });
	});

	test('starting fresh needs a data folder; EMULATOR_FRESH=1 asks for it too', () => {
		expect(() => parseCli(['--fresh'], {})).toThrow(/--data/);
		expect(parseCli(['--data', 'd'], {}).fresh).toBe(false);
		expect(parseCli(['--data', 'd'], { EMULATOR_FRESH: '1' }).fresh).toBe(true);
		expect(
			parseCli(['--data', 'd', '--fresh', '--', 'vite', 'dev', '--port', '5174'], {})
		).toMatchObject({
			fresh: true,
			command: ['vite', 'dev', '--port', '5174']
		});
	});

	test('the OpenID provider runs only when given a port, by flag or OIDC_PORT', () => {
		expect(parseCli([], {}).oidcPort).toBeNull();
		expect(parseCli([], { OIDC_PORT: '3213' }).oidcPort).toBe(3213);
		expect(parseCli(['--oidc-port', '4213'], { OIDC_PORT: '3213' }).oidcPort).toBe(4213);
	});
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { port } from './ports.ts';

afterEach(() => {
	vi.unstubAllEnvs();
	vi.resetModules();
});

describe('test ports', () => {
	it('come from their variables, else the defaults', () => {
		expect(port('E2E_APP_PORT', {})).toBe(4173);
		expect(port('E2E_APP_PORT', { E2E_APP_PORT: '5000' })).toBe(5000);
		expect(() => port('E2E_APP_PORT', { E2E_APP_PORT: '5000x' })).toThrow(/E2E_APP_PORT/);
	});

	it('move every browser-suite stack: apps, emulators, control ports and the REST upstream', async () => {
		vi.stubEnv('E2E_APP_PORT', '5100');
		vi.stubEnv('E2E_BACKEND_PORT', '5200');
		vi.stubEnv('E2E_UPSTREAM_PORT', '5399');
		const { stacks, REST_UPSTREAM_PORT } = await import('../e2e/stacks.ts');
		expect(REST_UPSTREAM_PORT).toBe(5399);
		for (const stack of Object.values(stacks)) {
			// Every port the stack names: where it serves, its emulator and control port, its upstream.
			const { url, ready, control, command, env } = stack;
			const text = [url, ready, control, command, env.PORT, env.API_UPSTREAM_URL].join(' ');
			const ports = (text.match(/\b\d{4,5}\b/g) ?? []).map(Number);
			expect(ports.length, stack.command).toBeGreaterThanOrEqual(4);
			for (const n of ports) expect(n, stack.command).toBeGreaterThanOrEqual(5100);
		}
		expect(stacks.restUpstream.env.API_UPSTREAM_URL).toBe('http://127.0.0.1:5399/v1');
	});

	it('move the cluster: nginx, both instances, the backend and both control ports', async () => {
		vi.stubEnv('CLUSTER_APP_PORT', '5500');
		vi.stubEnv('CLUSTER_BACKEND_PORT', '5600');
		const { CLUSTER, balancerUrl, controlUrl } = await import('../cluster/stack.ts');
		const { jwtMs, ...ports } = CLUSTER;
		expect(jwtMs).toBeGreaterThan(0);
		expect(ports).toEqual({
			balancer: 5500,
			instances: [5501, 5502],
			backend: 5600,
			site: 5601,
			backendControl: 5609,
			control: 5608
		});
		expect([balancerUrl, controlUrl]).toEqual(['http://127.0.0.1:5500', 'http://127.0.0.1:5608']);
	});
});

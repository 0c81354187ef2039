import { readFileSync } from 'node:fs';
import { ConvexHttpClient } from 'convex/browser';
import { ConvexError, type Value } from 'convex/values';
import { afterEach, expect, test, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { COMPONENTS } from './components.ts';
import { startEmulator, type Emulator } from './emulator.ts';
import { fromServer } from './test-helpers.ts';

let emulator: Emulator | undefined;
afterEach(async () => {
	await emulator?.close();
	emulator = undefined;
	vi.unstubAllEnvs();
});

test('registers exactly the components convex/convex.config.ts installs', () => {
	const config = readFileSync(new URL('../convex/convex.config.ts', import.meta.url), 'utf8');
	const installed = [...config.matchAll(/from '(@[^']+)\/convex\.config(?:\.js)?'/g)].map(
		(m) => m[1]
	);
	expect(COMPONENTS.map((c) => c.package).sort()).toEqual(installed.sort());
});

test('runs the rate-limiter component: sign-up limits per IP hold offline', async () => {
	vi.stubEnv('AUTH_SIGN_UP_PER_IP_PER_HOUR', '1');
	emulator = await startEmulator();
	const client = new ConvexHttpClient(emulator.url);
	const server = fromServer();
	const signUp = (email: string) =>
		client.action(api.auth.signIn, {
			provider: 'password',
			params: { ...server, email, password: 'correct horse battery', flow: 'signUp' }
		});
	expect(await signUp('first@example.com')).toMatchObject({
		tokens: { token: expect.any(String) }
	});
	const refused = await signUp('second@example.com').catch((e: unknown) => e);
	expect((refused as ConvexError<Value>).data).toMatchObject({ code: 'RATE_LIMITED' });
});

test('generates a server secret the functions require, unless the shell gives one', async () => {
	emulator = await startEmulator();
	expect(emulator.env.AUTH_SERVER_SECRET).toMatch(/^[0-9a-f]{64}$/);
	const refused = await new ConvexHttpClient(emulator.url)
		.action(api.auth.signIn, {
			provider: 'password',
			params: { email: 'x@example.com', password: 'correct horse battery', flow: 'signUp' }
		})
		.catch((e: unknown) => e);
	expect((refused as ConvexError<Value>).data).toEqual({ code: 'SERVER_ONLY' });
	await emulator.close();

	vi.stubEnv('AUTH_SERVER_SECRET', 'a-secret-shared-with-a-second-app-process');
	emulator = await startEmulator();
	expect(emulator.env.AUTH_SERVER_SECRET).toBe('a-secret-shared-with-a-second-app-process');
});

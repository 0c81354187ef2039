import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from './emulator.ts';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator?.close());

describe('HTTP actions on the site port', () => {
	test("Convex Auth's OpenID configuration names the site as issuer and points at its JWKS", async () => {
		const response = await fetch(`${emulator.siteUrl}/.well-known/openid-configuration`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/application\/json/);
		expect(await response.json()).toMatchObject({
			issuer: emulator.siteUrl,
			jwks_uri: `${emulator.siteUrl}/.well-known/jwks.json`
		});
	});

	test('the JWKS is served as the exact bytes of the JWKS env var', async () => {
		const response = await fetch(`${emulator.siteUrl}/.well-known/jwks.json`);
		expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(emulator.env.JWKS);
	});

	test('an unrouted path is a 404', async () => {
		expect((await fetch(`${emulator.siteUrl}/no/such/route`)).status).toBe(404);
	});

	test('a bad bearer token is refused before the action runs', async () => {
		const response = await fetch(`${emulator.siteUrl}/.well-known/jwks.json`, {
			headers: { Authorization: 'Bearer nonsense' }
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ code: 'InvalidAuthHeader' });
	});

	test('the HTTP API is not served on the site port', async () => {
		const response = await fetch(`${emulator.siteUrl}/api/query`, { method: 'POST', body: '{}' });
		expect(response.status).toBe(404);
	});
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProfileApi } from './server.ts';

const ISSUER = 'https://app.example.com';
const AUDIENCE = 'https://profile.example.com';
let jwks: { keys: JWK[] } = { keys: [] };
const jwksServer = createServer((_req, res) => res.end(JSON.stringify(jwks)));
let key: CryptoKey;
let api: Awaited<ReturnType<typeof startProfileApi>>;

beforeAll(async () => {
	const pair = await generateKeyPair('ES256');
	key = pair.privateKey;
	jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] };
	await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
	const { port } = jwksServer.address() as AddressInfo;
	api = await startProfileApi({
		issuer: ISSUER,
		audience: AUDIENCE,
		jwksUrl: `http://127.0.0.1:${port}/jwks`,
		port: 0
	});
});
afterAll(async () => {
	await api.close();
	jwksServer.close();
});

type Claims = { sub?: string; iss?: string; aud?: string; exp?: number };
const now = () => Math.floor(Date.now() / 1000);
function token(claims: Claims = {}, signWith = key, kid = 'k1') {
	const c = { sub: 'user1', iss: ISSUER, aud: AUDIENCE, exp: now() + 300, ...claims };
	return new SignJWT({ sub: c.sub, iss: c.iss, aud: c.aud, exp: c.exp })
		.setProtectedHeader({ alg: 'ES256', kid })
		.setIssuedAt()
		.sign(signWith);
}
const call = (bearer: string | null, init: RequestInit = {}) =>
	fetch(`${api.url}/profile`, {
		...init,
		headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers }
	});
const put = (bearer: string, body: unknown) =>
	call(bearer, { method: 'PUT', body: JSON.stringify(body) });

describe('the profile API', () => {
	it("keeps each user's settings for that user alone", async () => {
		const alice = await token({ sub: 'alice' });
		const bob = await token({ sub: 'bob' });
		const saved = await put(alice, { displayName: ' Alice ', theme: 'dark' });
		expect(saved.status).toBe(200);
		expect(await (await call(alice)).json()).toEqual({
			user: 'alice',
			settings: { displayName: 'Alice', theme: 'dark' }
		});
		expect((await (await call(bob)).json()).settings).toEqual({ displayName: '', theme: 'system' });
	});

	it('takes the user from a Convex JWT subject (`user|session`) without the session part', async () => {
		await put(await token({ sub: 'carol|session1' }), { displayName: 'C', theme: 'light' });
		const other = await call(await token({ sub: 'carol|session2' }));
		expect(await other.json()).toMatchObject({ user: 'carol', settings: { displayName: 'C' } });
	});

	it('accepts a token a little past its expiry, within the clock skew it allows', async () => {
		expect((await call(await token({ exp: now() - 10 }))).status).toBe(200);
	});

	it('refuses a request without a token, and says it wants a Bearer token', async () => {
		const res = await call(null);
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe('Bearer');
	});

	it.each([
		['an expired token', () => token({ exp: now() - 120 })],
		['a token from another issuer', () => token({ iss: 'https://evil.example' })],
		['a token for another audience', () => token({ aud: 'convex' })],
		['a token without a subject', () => token({ sub: '' })],
		[
			'a token signed by a key it does not publish',
			async () => token({}, (await generateKeyPair('ES256')).privateKey)
		],
		[
			'a token whose payload was changed after signing',
			async () => {
				const [header, , signature] = (await token({ sub: 'alice' })).split('.');
				const payload = Buffer.from(
					JSON.stringify({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })
				);
				return `${header}.${payload.toString('base64url')}.${signature}`;
			}
		],
		[
			'an unsigned token',
			async () =>
				`${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })).toString('base64url')}.`
		]
	])('refuses %s', async (_, make) => {
		const res = await call(await make());
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
		expect(await res.json()).toEqual({ error: 'invalid_token' });
	});

	it('refuses settings it does not know and bodies over 4 KB, keeping what was saved', async () => {
		const dave = await token({ sub: 'dave' });
		await put(dave, { displayName: 'Dave', theme: 'dark' });
		expect((await put(dave, { displayName: 'x'.repeat(61), theme: 'dark' })).status).toBe(400);
		expect((await put(dave, { displayName: 'D', theme: 'neon' })).status).toBe(400);
		expect((await put(dave, { displayName: 'D'.repeat(5000), theme: 'dark' })).status).toBe(413);
		expect((await (await call(dave)).json()).settings.displayName).toBe('Dave');
	});

	it('answers 503, not 401, while the issuer’s keys cannot be fetched', async () => {
		const down = await startProfileApi({
			issuer: ISSUER,
			audience: AUDIENCE,
			jwksUrl: 'http://127.0.0.1:9/jwks',
			port: 0
		});
		try {
			const res = await fetch(`${down.url}/profile`, {
				headers: { authorization: `Bearer ${await token()}` }
			});
			expect(res.status).toBe(503);
		} finally {
			await down.close();
		}
	});
});

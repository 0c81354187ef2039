// Other backends. The sample profile service verifies every Bearer token it gets; a backend listed
// in SCOPED_BACKEND_ORIGINS gets a token that works there alone: never at Convex, never at another
// backend. The test holds the app's signing key, so forged tokens carry a genuine signature and are
// refused for their claims alone.
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startProfileApi } from '../../examples/profile-api/server.ts';
import { generateScopedKey, type PrivateJwk } from '../../src/lib/server/backends/scoped-keys.ts';
import { startUpstream } from '../support/upstream.ts';
import { signUp } from './accounts.ts';
import { backendQuery } from './backend-state.ts';
import { JWT, send, type Jar } from './http.ts';
import { profileUrl, startStack, type Stack } from './stack.ts';
import { port } from '../support/ports.ts';

const N = 13;
const APP_ORIGIN = `http://127.0.0.1:${port('SECURITY_APP_PORT') + N}`;
/** Backend A: a recording server, so the test sees the token the proxy gives it. */
const PARTNER_PORT = port('SECURITY_UPSTREAM_PORT') - 2;
const PARTNER = `http://127.0.0.1:${PARTNER_PORT}`;
/** Backend B: the profile service, scoped too. */
const PROFILE = profileUrl(N);

let stack: Stack;
let partner: Awaited<ReturnType<typeof startUpstream>>;
let key: PrivateJwk;
let jar: Jar;
let userId: string;

const now = () => Math.floor(Date.now() / 1000);
/** A token signed with the app's real key; `claims` bend one thing at a time. */
async function appSigned(claims: Record<string, unknown> = {}) {
	return new SignJWT({ iss: APP_ORIGIN, aud: PROFILE, sub: userId, exp: now() + 300, ...claims })
		.setProtectedHeader({ alg: key.alg, kid: key.kid })
		.setIssuedAt()
		.sign(await importJWK(key, key.alg));
}
const profileWith = (bearer: string | null, base = PROFILE) =>
	fetch(`${base}/profile`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
/** The token the app's proxy sends backend A for the signed-in user. */
async function tokenSentToPartner(): Promise<string> {
	partner.seen.length = 0;
	const res = await send(stack, { path: '/api/anything', headers: { cookie: jar.header() } });
	expect(res.status).toBe(200);
	return String(partner.seen[0].headers.authorization).replace(/^Bearer /, '');
}

beforeAll(async () => {
	key = await generateScopedKey('ES256');
	partner = await startUpstream(PARTNER_PORT);
	stack = await startStack(
		N,
		{
			PUBLIC_ORIGIN: APP_ORIGIN,
			API_UPSTREAM_URL: PARTNER,
			SCOPED_BACKEND_ORIGINS: `${PARTNER},${PROFILE}`,
			SCOPED_TOKEN_KEYS: JSON.stringify([key])
		},
		'production',
		{ profile: true }
	);
	jar = (await signUp(stack, 'backends')).jar;
	userId = String(decodeJwt(jar.get(JWT)!).sub).split('|')[0];
});
afterAll(async () => {
	await stack?.stop();
	await partner?.close();
});

describe('a scoped backend', () => {
	let scoped: string;
	beforeEach(async () => (scoped = await tokenSentToPartner()));

	test('gets a token minted for its origin, never the Convex JWT', () => {
		expect(scoped).not.toBe(jar.get(JWT));
		expect(decodeJwt(scoped)).toMatchObject({ iss: APP_ORIGIN, aud: PARTNER, sub: userId });
		expect(decodeProtectedHeader(scoped).kid).toBe(key.kid);
	});

	test('cannot replay it against another backend', async () => {
		expect((await profileWith(scoped)).status).toBe(401);
	});

	test('cannot replay it against Convex', async () => {
		const query = await backendQuery(stack, scoped, 'users:me');
		expect(query.status === 401 || query.text.includes('UNAUTHENTICATED'), query.text).toBe(true);
		expect(query.text).not.toContain('"status":"success"');
		const action = await fetch(`${stack.siteUrl}/me`, {
			headers: { authorization: `Bearer ${scoped}` }
		});
		expect(action.status).toBe(401);
	});

	test("serves the signed-in user's page through its own token (server load)", async () => {
		const res = await send(stack, { path: '/account', headers: { cookie: jar.header() } });
		expect(res.status).toBe(200);
		expect(res.text).toContain('Display name');
		expect(res.text).not.toContain('The profile service is unavailable');
	});
});

describe('the profile service refuses', () => {
	test('a request with a token signed as the app would, as a control', async () => {
		expect((await profileWith(await appSigned())).status).toBe(200);
	});

	test.each([
		['no token', async () => null],
		['an expired token', () => appSigned({ exp: now() - 120 })],
		['a token from another issuer', () => appSigned({ iss: 'https://evil.example' })],
		['a token for another backend', () => appSigned({ aud: PARTNER })],
		['a token for Convex', () => appSigned({ aud: 'convex' })],
		['the user’s Convex JWT', async () => jar.get(JWT)!],
		[
			'a token whose payload was changed after signing',
			async () => {
				const [head, , sig] = (await appSigned()).split('.');
				const body = { iss: APP_ORIGIN, aud: PROFILE, sub: 'someone-else', exp: now() + 300 };
				return `${head}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${sig}`;
			}
		]
	])('%s', async (_, make) => {
		const res = await profileWith(await make());
		expect(res.status).toBe(401);
		expect(await res.text()).not.toContain('settings');
	});
});

describe('the app publishes its scoped-token keys', () => {
	test('publicly, cacheable, without any private part', async () => {
		const res = await send(stack, { path: '/.well-known/jwks.json' });
		expect(res.status).toBe(200);
		expect(res.headers['cache-control']).toBe('public, max-age=300');
		const { keys } = JSON.parse(res.text) as { keys: Record<string, string>[] };
		expect(keys.map((k) => k.kid)).toEqual([key.kid]);
		expect(keys[0]).not.toHaveProperty('d');
		expect(res.text).not.toContain(key.d);
	});
});

describe('a backend that takes Convex JWTs (the default)', () => {
	let convexMode: Awaited<ReturnType<typeof startProfileApi>>;
	beforeAll(async () => {
		convexMode = await startProfileApi({ port: 0, issuer: stack.siteUrl, audience: 'convex' });
	});
	afterAll(() => convexMode?.close());

	test('accepts the user’s Convex JWT, as a control', async () => {
		const res = await profileWith(jar.get(JWT)!, convexMode.url);
		expect(res.status).toBe(200);
		expect(((await res.json()) as { user: string }).user).toBe(userId);
	});

	test.each([
		['no token', () => null],
		[
			'a Convex JWT with one signature character changed',
			() => {
				const [head, body, sig] = jar.get(JWT)!.split('.');
				const i = Math.floor(sig.length / 2);
				return `${head}.${body}.${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;
			}
		]
	])('refuses %s', async (_, make) => {
		expect((await profileWith(make(), convexMode.url)).status).toBe(401);
	});

	test('refuses a token scoped to another backend (wrong issuer and audience)', async () => {
		expect((await profileWith(await tokenSentToPartner(), convexMode.url)).status).toBe(401);
	});
});

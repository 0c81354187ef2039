// Forged, tampered, expired and revoked JWTs: the app's hooks treat them as no session, and the
// backend refuses them too, so a token that slips past one layer still reaches nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, exportSPKI, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROTECTED, PROTECTED_MARK, signUp } from './accounts.ts';
import { backendQuery } from './backend-state.ts';
import { JWT, form, sameOrigin, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const LIVE = `/live?q=${encodeURIComponent('[["users:me",{}]]')}`;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => token.split('.');
const claims = (token: string) =>
	JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString()) as Record<string, unknown>;

let stack: Stack; // JWTs live an hour
let short: Stack; // JWTs live 2 s
let real: string; // a genuine JWT of user A on `stack`
let otherReal: string; // user B's
let expired: string; // a genuine JWT of `short`, past its expiry
let freshStatus: number; // what GET PROTECTED answered that JWT before it expired
const forged = new Map<string, string>();

const random = crypto.getRandomValues(new Uint8Array(32));
const enc = new TextEncoder();
const signRs256 = async (payload: Record<string, unknown>) =>
	new SignJWT(payload)
		.setProtectedHeader({ alg: 'RS256' })
		.sign((await generateKeyPair('RS256')).privateKey);
const signHs256 = (payload: Record<string, unknown>, secret: Uint8Array) =>
	new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
const jwks = async () =>
	(await (await fetch(`${stack.siteUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
const publicPem = async () =>
	exportSPKI(
		(await importJWK((await jwks()).keys[0], 'RS256', { extractable: true })) as CryptoKey
	);
/** Change one character in the middle of the signature, where every bit counts. */
function flip(token: string) {
	const [head, body, sig] = parts(token);
	const i = Math.floor(sig.length / 2);
	return `${head}.${body}.${sig.slice(0, i)}${sig[i] === 'A' ? 'B' : 'A'}${sig.slice(i + 1)}`;
}
const [head, body, sig] = [0, 1, 2].map((i) => () => parts(real)[i]);

/** Each built from user A's genuine token once the stack is up. */
const FORGERIES: [string, () => string | Promise<string>][] = [
	['a signature with one character changed', () => flip(real)],
	[
		'a real signature over another user’s payload',
		() => `${head()}.${parts(otherReal)[1]}.${sig()}`
	],
	[
		'a real signature over a later expiry',
		() => `${head()}.${b64({ ...claims(real), exp: Number(claims(real).exp) + 86_400 })}.${sig()}`
	],
	['alg: none with the real payload', () => `${b64({ alg: 'none', typ: 'JWT' })}.${body()}.`],
	['alg: none without a signature part', () => `${b64({ alg: 'none' })}.${body()}`],
	['RS256 from an attacker’s key, real claims', () => signRs256(claims(real))],
	[
		'RS256 from an attacker’s key, wrong iss',
		() => signRs256({ ...claims(real), iss: 'https://evil.example' })
	],
	[
		'RS256 from an attacker’s key, wrong aud',
		() => signRs256({ ...claims(real), aud: 'not-convex' })
	],
	['HS256 with a random secret, real claims', () => signHs256(claims(real), random)],
	[
		'HS256 with a random secret, wrong iss',
		() => signHs256({ ...claims(real), iss: 'https://evil.example' }, random)
	],
	[
		'HS256 with a random secret, wrong aud',
		() => signHs256({ ...claims(real), aud: 'other' }, random)
	],
	// Algorithm confusion: the public key used as an HMAC secret, in the forms a verifier might hold it.
	[
		'HS256 keyed with the public key as SPKI PEM',
		async () => signHs256(claims(real), enc.encode(await publicPem()))
	],
	[
		'HS256 keyed with the public key as JWK JSON',
		async () => signHs256(claims(real), enc.encode(JSON.stringify((await jwks()).keys[0])))
	],
	[
		'HS256 keyed with the JWKS document',
		async () => signHs256(claims(real), enc.encode(JSON.stringify(await jwks())))
	]
];

beforeAll(async () => {
	[stack, short] = await Promise.all([
		startStack(1),
		startStack(2, { AUTH_JWT_DURATION_MS: '2000' })
	]);
	real = (await signUp(stack, 'jwt-a')).jar.get(JWT)!;
	otherReal = (await signUp(stack, 'jwt-b')).jar.get(JWT)!;
	const shortLived = (await signUp(short, 'jwt-exp')).jar.get(JWT)!;
	freshStatus = (
		await send(short, { path: PROTECTED, headers: { cookie: `${JWT}=${shortLived}` } })
	).status;

	for (const [name, build] of FORGERIES) forged.set(name, await build());
	await sleep(Math.max(0, Number(claims(shortLived).exp) * 1000 - Date.now()) + 1_000);
	expired = shortLived;
}, 60_000);
afterAll(() => Promise.all([stack?.stop(), short?.stop()]));

/** The app with only this JWT cookie: anonymous everywhere. */
/** POST /logout from this site with the browser's cookies. */
const logOut = (jar: Jar) =>
	send(stack, {
		method: 'POST',
		path: '/logout',
		headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form({})
	});

async function expectAnonymous(s: Stack, token: string) {
	const cookie = `${JWT}=${token}`;
	const page = await send(s, { path: PROTECTED, headers: { cookie } });
	expect(page.status).toBe(303);
	expect(page.headers.location).toBe(`/login?redirectTo=${encodeURIComponent(PROTECTED)}`);
	const api = await send(s, {
		path: '/api/me',
		headers: { cookie, accept: 'application/json' }
	});
	expect(api.status).toBe(401);
	expect((await send(s, { path: LIVE, headers: { cookie }, readMs: 500 })).status).toBe(401);
}

/** The backend on its own: the HTTP API and the HTTP actions refuse the token. */
async function expectBackendRefuses(s: Stack, token: string) {
	const query = await backendQuery(s, token);
	expect(query.status === 401 || query.text.includes('UNAUTHENTICATED'), query.text).toBe(true);
	expect(query.text).not.toContain('"status":"success"');
	const action = await fetch(`${s.siteUrl}/me`, {
		headers: { authorization: `Bearer ${token}` }
	});
	expect(action.status).toBe(401);
}

describe('a forged or tampered JWT', () => {
	test('the genuine token is accepted by both, so the refusals below are about the forgery', async () => {
		const page = await send(stack, { path: PROTECTED, headers: { cookie: `${JWT}=${real}` } });
		expect(page.status).toBe(200);
		expect((await backendQuery(stack, real)).text).toContain('"status":"success"');
	});

	for (const [name] of FORGERIES) {
		test(`${name}: the app treats the visitor as anonymous`, async () => {
			await expectAnonymous(stack, forged.get(name)!);
		});
		test(`${name}: the backend refuses it`, async () => {
			await expectBackendRefuses(stack, forged.get(name)!);
		});
	}
});

describe('an expired JWT', () => {
	test('is anonymous to the app, which accepted the same token while it was fresh', async () => {
		expect(freshStatus).toBe(200);
		await expectAnonymous(short, expired);
	});
	test('is refused by the backend', async () => {
		await expectBackendRefuses(short, expired);
	});
});

describe('a JWT replayed after logout', () => {
	test('reaches nothing: no protected page, no API, no live data, no backend call', async () => {
		const { jar } = await signUp(stack, 'jwt-replay');
		const old = jar.get(JWT)!;
		expect((await logOut(jar)).status).toBe(303);
		const cookie = `${JWT}=${old}`;
		// The app may still verify it locally until it expires, but every backend call fails.
		const page = await send(stack, { path: PROTECTED, headers: { cookie } });
		expect(page.status).toBe(303);
		expect(page.headers.location).toMatch(/^\/login/);
		expect(page.text).not.toContain(PROTECTED_MARK);
		const api = await send(stack, {
			path: '/api/me',
			headers: { cookie, accept: 'application/json' }
		});
		expect(api.status).toBe(401);
		const live = await send(stack, { path: LIVE, headers: { cookie }, readMs: 1_500 });
		expect(live.text).not.toContain('event: update');
		if (live.status === 200) expect(live.text).toContain('event: signed-out');
		await expectBackendRefuses(stack, old);
	});

	test('/account signs the replayer out instead of showing the id, email and name', async () => {
		const { email, jar } = await signUp(stack, 'jwt-replay-account');
		const old = jar.get(JWT)!;
		const cookie = `${JWT}=${old}`;
		const before = await send(stack, { path: '/account', headers: { cookie } });
		expect(before.status).toBe(200);
		expect(before.text).toContain(email);
		expect((await logOut(jar)).status).toBe(303);

		const page = await send(stack, { path: '/account', headers: { cookie } });
		expect(page.status).toBe(303);
		expect(page.headers.location).toBe('/login?redirectTo=%2Faccount');
		expect(page.text).not.toContain(email);
		expect(page.setCookies.some((c) => c.startsWith(`${JWT}=;`))).toBe(true);
	});
});

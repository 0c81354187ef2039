import {
	SignJWT,
	base64url,
	createLocalJWKSet,
	errors,
	exportJWK,
	exportSPKI,
	generateKeyPair,
	type JWTVerifyGetKey
} from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, needsRefresh, type Session } from './tokens.ts';

const ISSUER = 'https://backend.example.convex.site';
let privateKey: CryptoKey;
let otherKey: CryptoKey;
let publicPem: string;
let keys: JWTVerifyGetKey;

beforeAll(async () => {
	const pair = await generateKeyPair('RS256', { extractable: true });
	privateKey = pair.privateKey;
	publicPem = await exportSPKI(pair.publicKey);
	otherKey = (await generateKeyPair('RS256')).privateKey;
	keys = createLocalJWKSet({
		keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' }]
	});
});

afterEach(() => {
	vi.useRealTimers();
});

type SignOpts = Partial<Record<'alg' | 'iss' | 'aud' | 'sub', string>> & {
	key?: CryptoKey | Uint8Array;
	exp?: number | string | null;
};
function sign(o: SignOpts = {}) {
	const jwt = new SignJWT({ email: 'ada@example.com', name: 'Ada' })
		.setProtectedHeader({ alg: o.alg ?? 'RS256', kid: 'k1' })
		.setSubject(o.sub ?? 'user1|session1')
		.setIssuer(o.iss ?? ISSUER)
		.setAudience(o.aud ?? 'convex')
		.setIssuedAt();
	if (o.exp !== null) jwt.setExpirationTime(o.exp ?? '1h');
	return jwt.sign(o.key ?? privateKey);
}
/** A token with no signature at all, as an attacker would write by hand. */
function unsigned() {
	const part = (v: object) => base64url.encode(JSON.stringify(v));
	const claims = { sub: 'u|s', iss: ISSUER, aud: 'convex', exp: now() + 600 };
	return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('createVerifier', () => {
	it('accepts a valid token and returns its user and session', async () => {
		vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
		const result = await createVerifier({ issuer: ISSUER, keys })(await sign({ exp: now() + 600 }));
		expect(result).toEqual({
			status: 'valid',
			user: { id: 'user1', email: 'ada@example.com', name: 'Ada' },
			session: { id: 'session1', issuedAt: now() * 1000, expiresAt: (now() + 600) * 1000 }
		});
	});

	it('reports an expired token as expired', async () => {
		const verify = createVerifier({ issuer: ISSUER, keys });
		expect(await verify(await sign({ exp: now() - 10 }))).toEqual({ status: 'expired' });
	});

	it.each<[string, () => Promise<string>]>([
		['signed by another key', () => sign({ key: otherKey })],
		['from another issuer', () => sign({ iss: 'https://evil.example' })],
		['for another audience', () => sign({ aud: 'someone-else' })],
		['whose subject has no session id', () => sign({ sub: 'user1' })],
		['whose subject has an empty user id', () => sign({ sub: '|session1' })],
		['without an expiry', () => sign({ exp: null })],
		['that is not a JWT at all', async () => 'not-a-token'],
		['that is unsigned (alg none)', async () => unsigned()],
		[
			'signed with HS256 using the public key as the secret',
			() => sign({ alg: 'HS256', key: new TextEncoder().encode(publicPem) })
		]
	])('rejects a token %s', async (_, make) => {
		expect(await createVerifier({ issuer: ISSUER, keys })(await make())).toEqual({
			status: 'invalid'
		});
	});

	it('rejects HS256 even when the key resolver would hand out the public key bytes', async () => {
		const pem = new TextEncoder().encode(publicPem);
		const careless: JWTVerifyGetKey = async () => pem;
		const token = await sign({ alg: 'HS256', key: pem });
		expect(await createVerifier({ issuer: ISSUER, keys: careless })(token)).toEqual({
			status: 'invalid'
		});
	});

	it.each([
		['a network error', new TypeError('fetch failed')],
		['a timeout', new errors.JWKSTimeout()],
		['a response that is not a key set', new errors.JWKSInvalid()]
	])('reports unavailable, not invalid, when the key set fails with %s', async (_, error) => {
		const verify = createVerifier({ issuer: ISSUER, keys: async () => Promise.reject(error) });
		expect(await verify(await sign())).toEqual({ status: 'unavailable' });
	});

	it('does not remember a failure: the same token verifies once the key set is back', async () => {
		const spy = vi.fn(keys).mockRejectedValueOnce(new TypeError('fetch failed'));
		const verify = createVerifier({ issuer: ISSUER, keys: spy });
		const token = await sign();
		expect(await verify(token)).toEqual({ status: 'unavailable' });
		expect((await verify(token)).status).toBe('valid');
	});

	it('remembers a verified token instead of checking its signature again', async () => {
		const spy = vi.fn(keys);
		const verify = createVerifier({ issuer: ISSUER, keys: spy });
		const token = await sign();
		expect((await verify(token)).status).toBe('valid');
		expect((await verify(token)).status).toBe('valid');
		expect(spy).toHaveBeenCalledTimes(1);
		expect((await verify(await sign({ sub: 'user2|session2' }))).status).toBe('valid');
		expect(spy).toHaveBeenCalledTimes(2);
	});

	it('reports a remembered token as expired once its expiry has passed', async () => {
		vi.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
		const spy = vi.fn(keys);
		const verify = createVerifier({ issuer: ISSUER, keys: spy });
		const token = await sign({ exp: now() + 60 });
		expect((await verify(token)).status).toBe('valid');
		vi.setSystemTime(Date.now() + 60_000);
		expect(await verify(token)).toEqual({ status: 'expired' });
		expect(spy).toHaveBeenCalledTimes(1);
		expect(await verify(token)).toEqual({ status: 'expired' });
	});
});

describe('needsRefresh', () => {
	const HOUR = 3600_000;
	const session = (expiresAt: number): Session => ({ id: 's', issuedAt: 0, expiresAt });

	it('does not refresh a one-hour token until its last minute', () => {
		const s = session(HOUR);
		expect(needsRefresh(s, HOUR / 2)).toBe(false);
		expect(needsRefresh(s, HOUR - 60_001)).toBe(false);
		expect(needsRefresh(s, HOUR - 60_000)).toBe(true);
	});

	it('refreshes a short token in the last quarter of its lifetime', () => {
		const s = session(120_000);
		expect(needsRefresh(s, 89_999)).toBe(false);
		expect(needsRefresh(s, 90_000)).toBe(true);
	});

	it('refreshes a token that has already expired', () => {
		expect(needsRefresh(session(HOUR), HOUR + 1)).toBe(true);
	});
});

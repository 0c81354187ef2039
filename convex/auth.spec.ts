import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { SITE, as, errorData, newTest, setAuthEnv, signIn } from './test.setup';

beforeAll(setAuthEnv);

const verify = (token: string) =>
	jwtVerify(token, createLocalJWKSet(JSON.parse(process.env.JWKS!)), {
		issuer: SITE,
		audience: 'convex',
		algorithms: ['RS256']
	});

describe('password sign-up and sign-in', () => {
	it('signs up a new account and returns a JWT and a refresh token', async () => {
		const t = newTest();
		const tokens = await signIn(t, '  Ada@Example.COM ');
		expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		const users = await t.run((ctx) => ctx.db.query('users').collect());
		expect(users.map((u) => u.email)).toEqual(['ada@example.com']);
	});

	it('signs in again with the right password, whatever the email case', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		const tokens = await signIn(t, 'ADA@example.com', 'correct horse', 'signIn');
		expect(tokens.token).toEqual(expect.any(String));
	});

	it('refuses a wrong password', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		await expect(signIn(t, 'ada@example.com', 'wrong horse', 'signIn')).rejects.toThrow(
			'InvalidSecret'
		);
	});

	it('refuses an unknown account', async () => {
		const t = newTest();
		await expect(signIn(t, 'nobody@example.com', 'correct horse', 'signIn')).rejects.toThrow(
			'InvalidAccountId'
		);
	});

	it('locks sign-in after ten wrong passwords, even for the right one', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		for (let i = 0; i < 10; i++) {
			await expect(signIn(t, 'ada@example.com', `wrong ${i}`, 'signIn')).rejects.toThrow(
				'InvalidSecret'
			);
		}
		await expect(signIn(t, 'ada@example.com', 'correct horse', 'signIn')).rejects.toThrow(
			'TooManyFailedAttempts'
		);
	});

	it('refuses to sign up the same email twice', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		await expect(signIn(t, 'Ada@example.com', 'another horse')).rejects.toThrow(
			'Account ada@example.com already exists'
		);
	});

	it.each([
		['an invalid email', 'not-an-email', 'correct horse', 'INVALID_EMAIL'],
		['a too-long email', `${'a'.repeat(250)}@x.io`, 'correct horse', 'INVALID_EMAIL'],
		['a short password', 'ada@example.com', 'short', 'INVALID_PASSWORD'],
		['a too-long password', 'ada@example.com', 'p'.repeat(129), 'INVALID_PASSWORD']
	])('rejects sign-up with %s and stores nothing', async (_, email, password, code) => {
		const t = newTest();
		expect(await errorData(signIn(t, email, password))).toEqual({ code });
		const stored = await t.run(async (ctx) => ({
			users: await ctx.db.query('users').collect(),
			accounts: await ctx.db.query('authAccounts').collect()
		}));
		expect(stored).toEqual({ users: [], accounts: [] });
	});
});

describe('the issued JWT', () => {
	it('is an RS256 token for the convex audience naming the user and session', async () => {
		const t = newTest();
		const { token } = await signIn(t, 'ada@example.com');
		const { payload, protectedHeader } = await verify(token);
		expect(protectedHeader.alg).toBe('RS256');
		const [userId, sessionId] = payload.sub!.split('|');
		const session = await t.run((ctx) => ctx.db.query('authSessions').unique());
		expect(session).toMatchObject({ _id: sessionId, userId });
		expect(payload).toMatchObject({ iss: SITE, aud: 'convex', email: 'ada@example.com' });
		expect(payload.exp! - payload.iat!).toBeGreaterThan(3590);
		expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(3600);
	});

	it('lives only as long as AUTH_JWT_DURATION_MS says', async () => {
		vi.stubEnv('AUTH_JWT_DURATION_MS', '60000');
		vi.resetModules(); // auth.ts reads the duration when it loads
		try {
			const { token } = await signIn(newTest(), 'ada@example.com');
			const { payload } = await verify(token);
			expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
			expect(payload.exp! - payload.iat!).toBeGreaterThan(50);
		} finally {
			vi.unstubAllEnvs();
			vi.resetModules();
		}
	});
});

describe('refresh tokens', () => {
	it('trade a refresh token for a new JWT and refresh token', async () => {
		const t = newTest();
		const first = await signIn(t, 'ada@example.com');
		const { tokens } = await t.action(api.auth.signIn, { refreshToken: first.refreshToken });
		expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		expect(tokens!.refreshToken).not.toBe(first.refreshToken);
		expect(decodeJwt(tokens!.token).sub).toBe(decodeJwt(first.token).sub);
	});

	it('refuses to refresh after sign-out', async () => {
		const t = newTest();
		const { token, refreshToken } = await signIn(t, 'ada@example.com');
		await as(t, token).action(api.auth.signOut);
		expect(await t.run((ctx) => ctx.db.query('authSessions').collect())).toEqual([]);
		expect(await t.action(api.auth.signIn, { refreshToken })).toEqual({ tokens: null });
	});
});

describe('the HTTP routes', () => {
	it('serve the JWKS', async () => {
		const res = await newTest().fetch('/.well-known/jwks.json');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual(JSON.parse(process.env.JWKS!));
	});

	it('serve an OpenID configuration naming the issuer', async () => {
		const res = await newTest().fetch('/.well-known/openid-configuration');
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({
			issuer: SITE,
			jwks_uri: `${SITE}/.well-known/jwks.json`
		});
	});
});

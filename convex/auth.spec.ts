import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { Scrypt } from 'lucia';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { SITE, as, errorData, fromServer, newTest, setAuthEnv, signIn } from './test.setup';

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

	const invalidCredentials = { code: 'INVALID_CREDENTIALS' };

	/** The whole error a caller sees: class, message and data. */
	async function failure(promise: Promise<unknown>) {
		const e = (await promise.then(
			() => expect.fail('expected sign-in to fail'),
			(e: unknown) => e
		)) as Error & { data?: unknown };
		return { name: e.name, message: e.message, data: e.data };
	}

	it('refuses a wrong password with INVALID_CREDENTIALS', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		expect(await errorData(signIn(t, 'ada@example.com', 'wrong horse', 'signIn'))).toEqual(
			invalidCredentials
		);
	});

	it('refuses an unknown account with INVALID_CREDENTIALS', async () => {
		const t = newTest();
		expect(await errorData(signIn(t, 'nobody@example.com', 'correct horse', 'signIn'))).toEqual(
			invalidCredentials
		);
	});

	it('answers unknown account, wrong password and locked account identically', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		await signIn(t, 'bob@example.com');
		for (let i = 0; i < 10; i++) {
			await errorData(signIn(t, 'bob@example.com', `wrong ${i}`, 'signIn'));
		}
		const unknown = await failure(signIn(t, 'nobody@example.com', 'correct horse', 'signIn'));
		const wrong = await failure(signIn(t, 'ada@example.com', 'wrong horse', 'signIn'));
		const locked = await failure(signIn(t, 'bob@example.com', 'correct horse', 'signIn'));
		expect(unknown).toEqual({
			name: 'ConvexError',
			message: expect.any(String),
			data: invalidCredentials
		});
		expect(wrong).toEqual(unknown);
		expect(locked).toEqual(unknown);
	});

	it('never engages Convex Auth’s own failed-password counter, which locks from anywhere', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		for (let i = 0; i < 12; i++) {
			await errorData(signIn(t, 'ada@example.com', `wrong ${i}`, 'signIn'));
		}
		await errorData(signIn(t, 'nobody@example.com', 'correct horse', 'signIn'));
		expect(await t.run((ctx) => ctx.db.query('authRateLimits').collect())).toEqual([]);
	});

	it.each([
		['the right password', 'correct horse'],
		['a wrong password', 'another horse']
	])(
		'answers EMAIL_TAKEN to a sign-up of an existing email with %s, without checking it',
		async (_, password) => {
			const t = newTest();
			await signIn(t, 'ada@example.com');
			const before = await t.run(async (ctx) => ({
				sessions: await ctx.db.query('authSessions').collect(),
				accounts: await ctx.db.query('authAccounts').collect()
			}));
			const result = t.action(api.auth.signIn, {
				provider: 'password',
				params: { ...fromServer, email: ' Ada@Example.com', password, flow: 'signUp' }
			});
			expect(await errorData(result)).toEqual({ code: 'EMAIL_TAKEN' });
			const after = await t.run(async (ctx) => ({
				sessions: await ctx.db.query('authSessions').collect(),
				accounts: await ctx.db.query('authAccounts').collect(),
				limits: await ctx.db.query('authRateLimits').collect()
			}));
			// No session (so no tokens), the account untouched, and no password check recorded.
			expect(after).toEqual({ ...before, limits: [] });
		}
	);

	it('still refuses a duplicate sign-up while the account is locked', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		for (let i = 0; i < 10; i++) {
			await errorData(signIn(t, 'ada@example.com', `wrong ${i}`, 'signIn'));
		}
		expect(await errorData(signIn(t, 'ada@example.com', 'correct horse'))).toEqual({
			code: 'EMAIL_TAKEN'
		});
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

	it.each([
		['an invalid email', { email: 'not-an-email', password: 'correct horse' }, 'INVALID_EMAIL'],
		['no password', { email: 'ada@example.com' }, 'INVALID_PASSWORD'],
		['a non-string password', { email: 'ada@example.com', password: 12345678 }, 'INVALID_PASSWORD']
	])('rejects sign-in with %s', async (_, params, code) => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		const result = t.action(api.auth.signIn, {
			provider: 'password',
			params: { ...fromServer, ...params, flow: 'signIn' }
		});
		expect(await errorData(result)).toEqual({ code });
	});

	it('rejects a missing or unknown flow with INVALID_FLOW', async () => {
		const t = newTest();
		for (const flow of [undefined, 'reset']) {
			const result = t.action(api.auth.signIn, {
				provider: 'password',
				params: { ...fromServer, email: 'ada@example.com', password: 'correct horse', flow }
			});
			expect(await errorData(result)).toEqual({ code: 'INVALID_FLOW' });
		}
	});

	it('lets an account whose password predates today’s bounds sign in', async () => {
		// Sign-in does not re-apply sign-up's bounds: a short password is just checked.
		const t = newTest();
		await t.run(async (ctx) => {
			const userId = await ctx.db.insert('users', { email: 'old@example.com' });
			const secret = await new Scrypt().hash('short');
			await ctx.db.insert('authAccounts', {
				userId,
				provider: 'password',
				providerAccountId: 'old@example.com',
				secret
			});
		});
		expect(await errorData(signIn(t, 'old@example.com', 'shirt', 'signIn'))).toEqual(
			invalidCredentials
		);
		expect((await signIn(t, 'old@example.com', 'short', 'signIn')).token).toEqual(
			expect.any(String)
		);
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

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUTH_LIMITS, authLimit } from './limits';
import { errorData, newTest, setAuthEnv, signIn, type Test } from './test.setup';

beforeAll(setAuthEnv);
afterEach(() => {
	vi.unstubAllEnvs();
	vi.useRealTimers();
});

const invalidCredentials = { code: 'INVALID_CREDENTIALS' };
const ATTACKER = '203.0.113.66';
const OWNER = '198.51.100.20';

/** Moves Convex's clock (and the rate limiter's) forward. */
function later(ms: number) {
	vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms });
}

const logIn = (t: Test, email: string, password: string, ip: string) =>
	signIn(t, email, password, 'signIn', ip);

describe('sign-in attempts per client IP', () => {
	it('refuses beyond AUTH_SIGN_IN_PER_IP_PER_MINUTE with RATE_LIMITED and when to retry', async () => {
		vi.stubEnv('AUTH_SIGN_IN_PER_IP_PER_MINUTE', '3');
		const t = newTest();
		await signIn(t, 'ada@example.com', 'correct horse', 'signUp', OWNER);
		for (let i = 0; i < 3; i++) {
			expect(await errorData(logIn(t, 'ada@example.com', `wrong ${i}`, ATTACKER))).toEqual(
				invalidCredentials
			);
		}
		// Even the right password: the attempt is refused before any account is looked at.
		const limited = (await errorData(logIn(t, 'ada@example.com', 'correct horse', ATTACKER))) as {
			code: string;
			retryAfter: number;
		};
		expect(limited).toEqual({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
		expect(limited.retryAfter).toBeGreaterThan(0);
		expect(limited.retryAfter).toBeLessThanOrEqual(20); // a third of a minute per attempt
		// Another address has its own budget.
		expect((await logIn(t, 'ada@example.com', 'correct horse', OWNER)).token).toBeTruthy();
		later(limited.retryAfter * 1000);
		expect((await logIn(t, 'ada@example.com', 'correct horse', ATTACKER)).token).toBeTruthy();
	});
});

describe('sign-ups per client IP', () => {
	it('refuses beyond AUTH_SIGN_UP_PER_IP_PER_HOUR, creating nothing', async () => {
		vi.stubEnv('AUTH_SIGN_UP_PER_IP_PER_HOUR', '2');
		const t = newTest();
		await signIn(t, 'a@example.com', 'correct horse', 'signUp', ATTACKER);
		await signIn(t, 'b@example.com', 'correct horse', 'signUp', ATTACKER);
		const limited = (await errorData(
			signIn(t, 'c@example.com', 'correct horse', 'signUp', ATTACKER)
		)) as { code: string; retryAfter: number };
		expect(limited.code).toBe('RATE_LIMITED');
		expect(limited.retryAfter).toBeGreaterThan(29 * 60);
		expect(limited.retryAfter).toBeLessThanOrEqual(30 * 60);
		const emails = await t.run(async (ctx) =>
			(await ctx.db.query('users').collect()).map((u) => u.email)
		);
		expect(emails).toEqual(['a@example.com', 'b@example.com']);
		expect((await signIn(t, 'c@example.com', 'correct horse', 'signUp', OWNER)).token).toBeTruthy();
	});
});

describe('failed passwords per account', () => {
	it('locks the account for the attacker’s IP only: the owner signs in from another', async () => {
		const t = newTest();
		await signIn(t, 'ada@example.com', 'correct horse', 'signUp', OWNER);
		for (let i = 0; i < AUTH_LIMITS.AUTH_FAILED_PER_ACCOUNT_AND_IP_PER_HOUR; i++) {
			await errorData(logIn(t, 'ada@example.com', `wrong ${i}`, ATTACKER));
		}
		// From the attacker's address even the right password now reads as a wrong one…
		expect(await errorData(logIn(t, 'ada@example.com', 'correct horse', ATTACKER))).toEqual(
			invalidCredentials
		);
		const sessions = await t.run((ctx) => ctx.db.query('authSessions').collect());
		expect(sessions).toHaveLength(1); // the sign-up's
		// …while the owner, elsewhere, is not locked out.
		expect((await logIn(t, 'ada@example.com', 'correct horse', OWNER)).token).toBeTruthy();
		// The lock refills: one more try every six minutes.
		later(6 * 60 * 1000 + 1000);
		expect((await logIn(t, 'ada@example.com', 'correct horse', ATTACKER)).token).toBeTruthy();
	});

	it('stops an attacker spread over many IPs at AUTH_FAILED_PER_ACCOUNT_PER_HOUR', async () => {
		vi.stubEnv('AUTH_FAILED_PER_ACCOUNT_PER_HOUR', '6');
		const t = newTest();
		await signIn(t, 'ada@example.com', 'correct horse', 'signUp', OWNER);
		await signIn(t, 'bob@example.com', 'correct horse', 'signUp', OWNER);
		for (let i = 0; i < 6; i++) {
			await errorData(logIn(t, 'ada@example.com', 'wrong', `203.0.113.${i}`));
		}
		expect(await errorData(logIn(t, 'ada@example.com', 'correct horse', '192.0.2.1'))).toEqual(
			invalidCredentials
		);
		// Another account is untouched.
		expect((await logIn(t, 'bob@example.com', 'correct horse', '192.0.2.1')).token).toBeTruthy();
		later(60 * 60 * 1000);
		expect((await logIn(t, 'ada@example.com', 'correct horse', '192.0.2.1')).token).toBeTruthy();
	});

	it('counts failures whether or not the account exists, so a lock reveals nothing', async () => {
		vi.stubEnv('AUTH_FAILED_PER_ACCOUNT_AND_IP_PER_HOUR', '2');
		const t = newTest();
		for (let i = 0; i < 2; i++) {
			await errorData(logIn(t, 'nobody@example.com', 'wrong', ATTACKER));
		}
		// The address is now locked for this IP: signing it up and in still reads as a failure.
		await signIn(t, 'nobody@example.com', 'correct horse', 'signUp', OWNER);
		expect(await errorData(logIn(t, 'nobody@example.com', 'correct horse', ATTACKER))).toEqual(
			invalidCredentials
		);
		expect((await logIn(t, 'nobody@example.com', 'correct horse', OWNER)).token).toBeTruthy();
	});
});

describe('authLimit', () => {
	it('reads the deployment’s env var, else the default', () => {
		expect(authLimit('AUTH_SIGN_IN_PER_IP_PER_MINUTE', {})).toBe(10);
		expect(
			authLimit('AUTH_SIGN_IN_PER_IP_PER_MINUTE', { AUTH_SIGN_IN_PER_IP_PER_MINUTE: '25' })
		).toBe(25);
	});

	it.each(['0', '-1', '2.5', 'ten'])('refuses %j as a limit, naming the variable', (value) => {
		expect(() =>
			authLimit('AUTH_FAILED_PER_ACCOUNT_PER_HOUR', { AUTH_FAILED_PER_ACCOUNT_PER_HOUR: value })
		).toThrow(/AUTH_FAILED_PER_ACCOUNT_PER_HOUR/);
	});
});

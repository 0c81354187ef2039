import { describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { CODE_LIFETIME_MS } from './codes';
import { as, errorData, fromServer, newTest, signIn, type Test } from './test.setup';
import { mailTo, mailedCode, useFakeClockWithAuthEnv } from './mailed-codes.setup';

const ADA = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

useFakeClockWithAuthEnv();

async function requestCode(
	t: Test,
	email: string,
	purpose: 'reset' | 'verify' = 'reset',
	clientIp = fromServer.clientIp
) {
	const answer = await t.action(api.recovery.requestCode, {
		...fromServer,
		clientIp,
		email,
		purpose
	});
	await t.finishAllScheduledFunctions(vi.runAllTimers);
	return answer;
}

function reset(t: Test, email: string, code: string, newPassword = NEW_PASSWORD) {
	return t.action(api.auth.signIn, {
		provider: 'password',
		params: { ...fromServer, flow: 'reset-verification', email, code, newPassword }
	});
}

const signInFails = (t: Test, email: string, password: string) =>
	errorData(signIn(t, email, password, 'signIn'));

describe('password reset by emailed code', () => {
	it('mails a code that sets a new password, signs in, and signs every other session out', async () => {
		const t = newTest();
		const { token: before } = await signIn(t, ADA);
		expect(await requestCode(t, ADA)).toBeNull();
		const { tokens } = await reset(t, ADA, await mailedCode(t, ADA));
		expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		expect(await signInFails(t, ADA, 'correct horse')).toEqual({ code: 'INVALID_CREDENTIALS' });
		expect(await signIn(t, ADA, NEW_PASSWORD, 'signIn')).toBeTruthy();
		expect(await errorData(as(t, before).query(api.users.me, {}))).toEqual({
			code: 'UNAUTHENTICATED'
		});
		expect(await as(t, tokens!.token).query(api.users.me, {})).toMatchObject({ email: ADA });
	});

	it('works once: the same code again is refused', async () => {
		const t = newTest();
		await signIn(t, ADA);
		await requestCode(t, ADA);
		const code = await mailedCode(t, ADA);
		await reset(t, ADA, code);
		expect(await errorData(reset(t, ADA, code, 'yet another passphrase'))).toEqual({
			code: 'INVALID_CODE'
		});
		expect(await signIn(t, ADA, NEW_PASSWORD, 'signIn')).toBeTruthy();
	});

	it('works for 15 minutes and not after', async () => {
		const t = newTest();
		await signIn(t, ADA);
		await requestCode(t, ADA);
		vi.advanceTimersByTime(CODE_LIFETIME_MS - 1000);
		const code = await mailedCode(t, ADA);
		await requestCode(t, ADA);
		const second = await mailedCode(t, ADA);
		expect(await errorData(reset(t, ADA, code))).toEqual({ code: 'INVALID_CODE' }); // replaced
		vi.advanceTimersByTime(CODE_LIFETIME_MS + 1);
		expect(await errorData(reset(t, ADA, second))).toEqual({ code: 'INVALID_CODE' });
		await requestCode(t, ADA);
		vi.advanceTimersByTime(CODE_LIFETIME_MS - 1000);
		expect(await reset(t, ADA, await mailedCode(t, ADA))).toMatchObject({
			tokens: expect.any(Object)
		});
	});

	it('survives four wrong codes and is gone at the fifth, counted in the database', async () => {
		const t = newTest();
		await signIn(t, ADA);
		const wrong = (code: string) => String((Number(code) + 1) % 1e8).padStart(8, '0');
		await requestCode(t, ADA);
		let code = await mailedCode(t, ADA);
		for (let i = 0; i < 4; i++)
			expect(await errorData(reset(t, ADA, wrong(code)))).toEqual({ code: 'INVALID_CODE' });
		expect(await reset(t, ADA, code)).toMatchObject({ tokens: expect.any(Object) });

		await requestCode(t, ADA);
		code = await mailedCode(t, ADA);
		for (let i = 0; i < 5; i++) await errorData(reset(t, ADA, wrong(code)));
		expect(await errorData(reset(t, ADA, code))).toEqual({ code: 'INVALID_CODE' });
	});

	it("never opens another address's account", async () => {
		const t = newTest();
		await signIn(t, ADA);
		await signIn(t, 'eve@example.com');
		await requestCode(t, 'eve@example.com');
		const evesCode = await mailedCode(t, 'eve@example.com');
		await requestCode(t, ADA);
		expect(await errorData(reset(t, ADA, evesCode))).toEqual({ code: 'INVALID_CODE' });
	});

	it('refuses a new password outside the sign-up rules before spending the code', async () => {
		const t = newTest();
		await signIn(t, ADA);
		await requestCode(t, ADA);
		const code = await mailedCode(t, ADA);
		expect(await errorData(reset(t, ADA, code, 'short'))).toEqual({ code: 'INVALID_PASSWORD' });
		expect(await reset(t, ADA, code)).toMatchObject({ tokens: expect.any(Object) });
	});

	it('answers an unknown address exactly as a known one, and mails nothing', async () => {
		const t = newTest();
		expect(await requestCode(t, 'nobody@example.com')).toBeNull();
		expect(await mailTo(t, 'nobody@example.com')).toEqual([]);
		expect(await t.run((ctx) => ctx.db.query('authCodes').collect())).toEqual([]);
	});

	it('tells an account without a password how it signs in, with no code', async () => {
		const t = newTest();
		await t.run(async (ctx) => {
			const userId = await ctx.db.insert('users', { email: ADA, emailVerificationTime: 1 });
			await ctx.db.insert('authAccounts', { userId, provider: 'github', providerAccountId: '42' });
		});
		await requestCode(t, ADA);
		const [mail] = await mailTo(t, ADA);
		expect(mail.text).toContain('signs in with Github');
		expect(mail.text).not.toMatch(/code/i);
		expect(await t.run((ctx) => ctx.db.query('authCodes').collect())).toEqual([]);
	});

	it('mails an address at most AUTH_CODES_PER_ACCOUNT_PER_HOUR times, from any IP, answering alike', async () => {
		vi.stubEnv('AUTH_CODES_PER_ACCOUNT_PER_HOUR', '2');
		const t = newTest();
		await signIn(t, ADA);
		await requestCode(t, ADA, 'reset', '198.51.100.1');
		await requestCode(t, ADA, 'reset', '198.51.100.2');
		expect(await requestCode(t, ADA, 'reset', '198.51.100.3')).toBeNull();
		expect(await mailTo(t, ADA)).toHaveLength(2);
		// The third request left the second code standing.
		expect(await reset(t, ADA, await mailedCode(t, ADA))).toMatchObject({
			tokens: expect.any(Object)
		});
	});

	it('refuses a client IP past AUTH_CODES_PER_IP_PER_HOUR with RATE_LIMITED, known address or not', async () => {
		vi.stubEnv('AUTH_CODES_PER_IP_PER_HOUR', '2');
		const t = newTest();
		await requestCode(t, 'one@example.com');
		await requestCode(t, 'two@example.com');
		expect(await errorData(requestCode(t, 'three@example.com'))).toEqual({
			code: 'RATE_LIMITED',
			retryAfter: expect.any(Number)
		});
		expect(await requestCode(t, 'three@example.com', 'reset', '203.0.113.9')).toBeNull();
	});

	it('runs only for the app server', async () => {
		const t = newTest();
		const anyone = { clientIp: '203.0.113.9', email: ADA, purpose: 'reset' as const };
		expect(await errorData(t.action(api.recovery.requestCode, anyone))).toEqual({
			code: 'SERVER_ONLY'
		});
		expect(
			await errorData(
				t.action(api.auth.signIn, {
					provider: 'password',
					params: {
						flow: 'reset-verification',
						email: ADA,
						code: '12345678',
						newPassword: NEW_PASSWORD
					}
				})
			)
		).toEqual({ code: 'SERVER_ONLY' });
		expect(await errorData(t.action(api.outbox.read, {}))).toEqual({ code: 'SERVER_ONLY' });
	});
});

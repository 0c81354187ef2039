import { beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { errorData, fromServer, newTest, signIn, type Test } from './test.setup';
import { mailTo, mailedCode, useFakeClockWithAuthEnv } from './mailed-codes.setup';

const ADA = 'ada@example.com';

useFakeClockWithAuthEnv();

async function signUp(t: Test, email = ADA) {
	const tokens = await signIn(t, email);
	await t.finishAllScheduledFunctions(vi.runAllTimers);
	return tokens;
}

function verify(t: Test, code: string, email = ADA) {
	return t.action(api.auth.signIn, {
		provider: 'password',
		params: { ...fromServer, flow: 'email-verification', email, code }
	});
}

const verifiedAt = (t: Test) =>
	t.run(async (ctx) => (await ctx.db.query('users').first())?.emailVerificationTime ?? null);

describe('email verification', () => {
	it("mails a code on sign-up that sets Convex Auth's emailVerificationTime", async () => {
		const t = newTest();
		await signUp(t);
		expect(await verifiedAt(t)).toBeNull();
		const { tokens } = await verify(t, await mailedCode(t, ADA));
		expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		expect(await verifiedAt(t)).toEqual(expect.any(Number));
	});

	it('resends a code on request while the address is unverified, and not after', async () => {
		const t = newTest();
		await signUp(t);
		const first = await mailedCode(t, ADA);
		await t.action(api.recovery.requestCode, { ...fromServer, email: ADA, purpose: 'verify' });
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		const second = await mailedCode(t, ADA);
		expect(await errorData(verify(t, first))).toEqual({ code: 'INVALID_CODE' });
		await verify(t, second);
		await t.action(api.recovery.requestCode, { ...fromServer, email: ADA, purpose: 'verify' });
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		expect(await mailTo(t, ADA)).toHaveLength(2);
	});

	it('a reset code proves the address too', async () => {
		const t = newTest();
		await signUp(t);
		await t.action(api.recovery.requestCode, { ...fromServer, email: ADA, purpose: 'reset' });
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		await t.action(api.auth.signIn, {
			provider: 'password',
			params: {
				...fromServer,
				flow: 'reset-verification',
				email: ADA,
				code: await mailedCode(t, ADA),
				newPassword: 'a new passphrase'
			}
		});
		expect(await verifiedAt(t)).toEqual(expect.any(Number));
	});

	describe('with AUTH_VERIFY_EMAIL_FIRST=true', () => {
		beforeEach(() => {
			vi.stubEnv('AUTH_VERIFY_EMAIL_FIRST', 'true');
		});

		it('creates the account but gives no session until the code comes back', async () => {
			const t = newTest();
			expect(await errorData(signUp(t))).toEqual({ code: 'EMAIL_NOT_VERIFIED' });
			await t.finishAllScheduledFunctions(vi.runAllTimers);
			const code = await mailedCode(t, ADA);
			expect(await errorData(signIn(t, ADA, 'correct horse', 'signIn'))).toEqual({
				code: 'EMAIL_NOT_VERIFIED'
			});
			expect(await verify(t, code).catch(() => null)).toBeNull(); // that sign-in sent a newer code
			await t.finishAllScheduledFunctions(vi.runAllTimers);
			expect(await verify(t, await mailedCode(t, ADA))).toMatchObject({
				tokens: expect.any(Object)
			});
			expect(await signIn(t, ADA, 'correct horse', 'signIn')).toBeTruthy();
		});

		it('tells only the right password that the address is unverified', async () => {
			const t = newTest();
			await errorData(signUp(t));
			expect(await errorData(signIn(t, ADA, 'wrong password', 'signIn'))).toEqual({
				code: 'INVALID_CREDENTIALS'
			});
		});
	});
});

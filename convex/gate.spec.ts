import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import {
	CLIENT_IP,
	SERVER_SECRET,
	as,
	errorData,
	newTest,
	setAuthEnv,
	signIn,
	type Test
} from './test.setup';

beforeAll(setAuthEnv);
afterEach(() => vi.unstubAllEnvs());

const FLOWS = ['signIn', 'signUp'] as const;

/** A password flow as anyone on the internet could call it, with the server secret given (or not). */
function call(t: Test, flow: string, serverSecret?: unknown) {
	return t.action(api.auth.signIn, {
		provider: 'password',
		params: {
			email: 'ada@example.com',
			password: 'correct horse',
			flow,
			clientIp: CLIENT_IP,
			...(serverSecret === undefined ? {} : { serverSecret })
		}
	});
}

async function stored(t: Test) {
	return await t.run(async (ctx) => ({
		users: (await ctx.db.query('users').collect()).length,
		sessions: (await ctx.db.query('authSessions').collect()).length
	}));
}

describe('the server gate on password flows', () => {
	it.each(FLOWS)('refuses %s without the server secret, and stores nothing', async (flow) => {
		const t = newTest();
		if (flow === 'signIn') await signIn(t, 'ada@example.com');
		const before = await stored(t);
		expect(await errorData(call(t, flow))).toEqual({ code: 'SERVER_ONLY' });
		expect(await stored(t)).toEqual(before);
	});

	it.each([
		['one character off', SERVER_SECRET.slice(0, -1) + 'X'],
		['a prefix of it', SERVER_SECRET.slice(0, 32)],
		['it with more after', SERVER_SECRET + 'x'],
		['an empty string', ''],
		['a number', 12345],
		['an object', { secret: SERVER_SECRET }]
	])('refuses a wrong secret: %s', async (_, secret) => {
		const t = newTest();
		for (const flow of FLOWS) {
			expect(await errorData(call(t, flow, secret))).toEqual({ code: 'SERVER_ONLY' });
		}
		expect(await stored(t)).toEqual({ users: 0, sessions: 0 });
	});

	it('lets the right secret sign up and sign in', async () => {
		const t = newTest();
		for (const flow of ['signUp', 'signIn']) {
			const { tokens } = await call(t, flow, SERVER_SECRET);
			expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		}
	});

	it('refuses any other flow (a future password reset, say) without the secret before reading it', async () => {
		expect(await errorData(call(newTest(), 'reset'))).toEqual({ code: 'SERVER_ONLY' });
		expect(await errorData(call(newTest(), 'reset', SERVER_SECRET))).toEqual({
			code: 'INVALID_FLOW'
		});
	});

	it.each([
		['unset', undefined],
		['empty', ''],
		['too short to be a secret', 'short-secret']
	])('is closed, never open, while the deployment’s secret is %s', async (_, deploymentSecret) => {
		vi.stubEnv('AUTH_SERVER_SECRET', deploymentSecret);
		const t = newTest();
		for (const secret of [undefined, '', 'short-secret', SERVER_SECRET]) {
			expect(await errorData(call(t, 'signUp', secret))).toEqual({
				code: 'SERVER_SECRET_NOT_CONFIGURED'
			});
		}
		expect(await stored(t)).toEqual({ users: 0, sessions: 0 });
	});

	it('accepts the previous secret while it is rotated out, and the new one', async () => {
		const next = 'the-next-server-secret-0123456789abcdefghijkl';
		vi.stubEnv('AUTH_SERVER_SECRET', next);
		vi.stubEnv('AUTH_SERVER_SECRET_PREVIOUS', SERVER_SECRET);
		const t = newTest();
		expect((await call(t, 'signUp', SERVER_SECRET)).tokens).toBeTruthy();
		expect((await call(t, 'signIn', next)).tokens).toBeTruthy();
		vi.stubEnv('AUTH_SERVER_SECRET_PREVIOUS', undefined);
		expect(await errorData(call(t, 'signIn', SERVER_SECRET))).toEqual({ code: 'SERVER_ONLY' });
	});

	it('leaves refresh and sign-out as they are: the caller holds a token already', async () => {
		const t = newTest();
		const first = await signIn(t, 'ada@example.com');
		const { tokens } = await t.action(api.auth.signIn, { refreshToken: first.refreshToken });
		expect(tokens).toEqual({ token: expect.any(String), refreshToken: expect.any(String) });
		await as(t, tokens!.token).action(api.auth.signOut);
		expect(await stored(t)).toEqual({ users: 1, sessions: 0 });
	});

	it('needs the client IP the server saw', async () => {
		const t = newTest();
		for (const clientIp of [undefined, '', 'x'.repeat(65), 7]) {
			const result = t.action(api.auth.signIn, {
				provider: 'password',
				params: {
					email: 'ada@example.com',
					password: 'correct horse',
					flow: 'signUp',
					serverSecret: SERVER_SECRET,
					clientIp
				}
			});
			expect(await errorData(result)).toEqual({ code: 'INVALID_CLIENT_IP' });
		}
	});
});

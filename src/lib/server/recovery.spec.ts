import { isActionFailure, type RequestEvent } from '@sveltejs/kit';
import { getFunctionName, type FunctionReference } from 'convex/server';
import { ConvexError } from 'convex/values';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as limits from '#convex/limits.ts';

const mocks = vi.hoisted(() => ({
	answer: async (): Promise<unknown> => null,
	calls: [] as { name: string; args: unknown }[]
}));
vi.mock('./config.ts', () => ({
	config: { serverSecret: 'the-server-secret-0123456789abcdefghij' }
}));
vi.mock('./complete-sign-in.ts', () => ({ finishSignIn: vi.fn() }));
vi.mock('./convex.ts', () => ({
	BACKEND_DOWN: 'backend down',
	convex: () => ({
		action: async (ref: FunctionReference<'action'>, args: unknown) => {
			mocks.calls.push({ name: getFunctionName(ref), args });
			return mocks.answer();
		}
	})
}));

const { WRONG_CODE, requestCode, resetPassword } = await import('./recovery.ts');

function post(fields: Record<string, string>) {
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.set(k, v);
	const headers: Record<string, string> = {};
	const event = {
		request: new Request('http://localhost/forgot-password', { method: 'POST', body }),
		getClientAddress: () => '203.0.113.5',
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h)
	} as unknown as RequestEvent;
	return { event, headers };
}

const outcomeOf = (outcome: unknown) =>
	isActionFailure(outcome)
		? { status: outcome.status, ...(outcome.data as unknown as object) }
		: outcome;

beforeEach(() => {
	mocks.calls.length = 0;
	mocks.answer = async () => null;
});

describe('asking for a code', () => {
	it('passes the address on with the secret and the client address, and says it was sent', async () => {
		const { event } = post({ email: ' Ada@Example.com ' });
		expect(await requestCode(event, 'reset')).toEqual({ email: 'ada@example.com', sent: true });
		expect(mocks.calls).toEqual([
			{
				name: 'recovery:requestCode',
				args: {
					serverSecret: 'the-server-secret-0123456789abcdefghij',
					clientIp: '203.0.113.5',
					email: 'ada@example.com',
					purpose: 'reset'
				}
			}
		]);
	});

	it('answers a spent IP budget with 429, Retry-After and the email kept', async () => {
		mocks.answer = async () =>
			Promise.reject(new ConvexError({ code: 'RATE_LIMITED', retryAfter: 30 }));
		const { event, headers } = post({ email: 'ada@example.com' });
		expect(outcomeOf(await requestCode(event, 'reset'))).toEqual({
			status: 429,
			email: 'ada@example.com',
			message: 'Too many attempts. Try again in 30 seconds.'
		});
		expect(headers).toEqual({ 'retry-after': '30' });
	});

	it('answers an unexpected failure in words, never with its text', async () => {
		mocks.answer = async () => Promise.reject(new Error('[Request ID: 1] Server Error at x.js:1'));
		const { event } = post({ email: 'ada@example.com' });
		expect(outcomeOf(await requestCode(event, 'reset'))).toEqual({
			status: 503,
			email: 'ada@example.com',
			message: 'backend down'
		});
	});
});

describe('resetting', () => {
	it('keeps the address and code when the code is refused', async () => {
		mocks.answer = async () => Promise.reject(new ConvexError({ code: 'INVALID_CODE' }));
		const { event } = post({
			email: 'ada@example.com',
			code: '1234 5678',
			password: 'a new passphrase'
		});
		expect(outcomeOf(await resetPassword(event))).toEqual({
			status: 400,
			email: 'ada@example.com',
			code: '12345678',
			message: WRONG_CODE
		});
	});

	it('refuses a malformed code before calling the backend', async () => {
		const { event } = post({ email: 'ada@example.com', code: 'abc', password: 'a new passphrase' });
		expect(outcomeOf(await resetPassword(event))).toMatchObject({ status: 400, code: 'abc' });
		expect(mocks.calls).toEqual([]);
	});
});

describe('the code field', () => {
	const long = '1234 5678 '.repeat(10);

	it('keeps at most CODE_INPUT_MAX characters of a posted code, spaces taken out', async () => {
		const { event } = post({ email: 'ada@example.com', code: long, password: 'a new passphrase' });
		const outcome = outcomeOf(await resetPassword(event)) as { code: string };
		expect(outcome.code).toBe('12345678'.repeat(10).slice(0, limits.CODE_INPUT_MAX));
		expect(mocks.calls).toEqual([]);
	});

	it('keeps as much of a code a link carries, read from convex/limits.ts', async () => {
		vi.resetModules();
		vi.doMock('#convex/limits.ts', async (actual) => ({
			...(await actual<typeof limits>()),
			CODE_INPUT_MAX: 12
		}));
		const fresh = await import('./recovery.ts');
		const url = new URL(`http://localhost/reset-password?code=${encodeURIComponent(long)}`);
		expect(fresh.codePageLoad({ url, locals: { user: null } } as never).code).toBe('123456781234');
		vi.doUnmock('#convex/limits.ts');
	});
});

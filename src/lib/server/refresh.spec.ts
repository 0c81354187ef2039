import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RefreshResult } from './refresh.ts';

vi.mock('./config.ts', () => ({ config: { convexUrl: 'http://127.0.0.1:3210' } }));
const { convexRefresh, createRefresher } = await import('./refresh.ts');

const refreshed = (token: string): RefreshResult => ({
	status: 'refreshed',
	tokens: { token: `jwt-${token}`, refreshToken: `next-${token}` }
});

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('createRefresher', () => {
	it('calls the backend once for 50 parallel requests with the same refresh token', async () => {
		const pending = Promise.withResolvers<RefreshResult>();
		const call = vi.fn(() => pending.promise);
		const refresh = createRefresher(call);
		const results = Array.from({ length: 50 }, () => refresh('rt1'));
		pending.resolve(refreshed('rt1'));
		const settled = await Promise.all(results);
		expect(call).toHaveBeenCalledTimes(1);
		expect(call).toHaveBeenCalledWith('rt1');
		expect(new Set(settled)).toEqual(new Set([refreshed('rt1')]));
	});

	it('refreshes different refresh tokens separately', async () => {
		const call = vi.fn(async (token: string) => refreshed(token));
		const refresh = createRefresher(call);
		const [a, b] = await Promise.all([refresh('rt-a'), refresh('rt-b'), refresh('rt-a')]);
		expect(call.mock.calls).toEqual([['rt-a'], ['rt-b']]);
		expect(a).toEqual(refreshed('rt-a'));
		expect(b).toEqual(refreshed('rt-b'));
	});

	it('gives every waiting caller unavailable when the call throws, and retries on the next request', async () => {
		const call = vi
			.fn<(token: string) => Promise<RefreshResult>>()
			.mockRejectedValueOnce(new TypeError('fetch failed'))
			.mockImplementation(async (token) => refreshed(token));
		const refresh = createRefresher(call);
		const results = await Promise.all(Array.from({ length: 5 }, () => refresh('rt1')));
		expect(results).toEqual(Array(5).fill({ status: 'unavailable' }));
		expect(await refresh('rt1')).toEqual(refreshed('rt1'));
		expect(call).toHaveBeenCalledTimes(2);
	});

	it.each<RefreshResult>([{ status: 'refused' }, { status: 'unavailable' }])(
		'does not reuse a $status result for later requests',
		async (result) => {
			const call = vi.fn(async () => result);
			const refresh = createRefresher(call);
			expect(await refresh('rt1')).toEqual(result);
			expect(await refresh('rt1')).toEqual(result);
			expect(call).toHaveBeenCalledTimes(2);
		}
	);

	it('hands a fresh token pair to late requests with the old refresh token for 5 seconds', async () => {
		const call = vi.fn(async (token: string) => refreshed(token));
		const refresh = createRefresher(call);
		const first = await refresh('rt1');
		vi.advanceTimersByTime(4_999);
		expect(await refresh('rt1')).toBe(first);
		expect(call).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(1);
		expect(await refresh('rt1')).not.toBe(first);
		expect(call).toHaveBeenCalledTimes(2);
	});

	it('keeps the reuse window of one refresh token out of another', async () => {
		const call = vi.fn(async (token: string) => refreshed(token));
		const refresh = createRefresher(call);
		await refresh('rt1');
		expect(await refresh('rt2')).toEqual(refreshed('rt2'));
		expect(call.mock.calls).toEqual([['rt1'], ['rt2']]);
	});
});

describe('convexRefresh', () => {
	const REFRESH_TOKEN = 'k57abc123|j97def456';
	const NEW = { token: 'header.payload.signature', refreshToken: 'k57next|j97def456' };
	/** How Convex's HTTP API answers an action: 200 with the value, 560 when the function threw. */
	const answer = (status: number, body: unknown) =>
		vi.fn(async () => Response.json(body, { status }));
	const success = (value: unknown) => answer(200, { status: 'success', value, logLines: [] });
	const call = (fetchFn: typeof fetch, token = REFRESH_TOKEN) => convexRefresh(fetchFn)(token);

	beforeEach(() => {
		vi.useRealTimers();
	});

	it('hands back the rotated pair', async () => {
		const fetchFn = success({ tokens: NEW });
		expect(await call(fetchFn)).toEqual({ status: 'refreshed', tokens: NEW });
		const [url, init] = fetchFn.mock.calls[0] as unknown as [string, RequestInit];
		expect(url).toBe('http://127.0.0.1:3210/api/action');
		expect(JSON.parse(String(init.body))).toMatchObject({
			path: 'auth:signIn',
			args: [{ refreshToken: REFRESH_TOKEN }]
		});
	});

	it('is refused when Convex Auth answers { tokens: null }', async () => {
		expect(await call(success({ tokens: null }))).toEqual({ status: 'refused' });
	});

	it('is unavailable, not refused, when the function crashes (a redacted 560)', async () => {
		// What a deployment without JWT_PRIVATE_KEY answers every refresh in production.
		const crash = answer(560, {
			status: 'error',
			errorMessage: '[Request ID: 3f2a] Server Error',
			logLines: []
		});
		expect(await call(crash)).toEqual({ status: 'unavailable' });
	});

	it.each([
		['a network error', vi.fn(async () => Promise.reject(new TypeError('fetch failed')))],
		['a 503', vi.fn(async () => new Response('overloaded', { status: 503 }))]
	])('is unavailable on %s', async (_, fetchFn) => {
		expect(await call(fetchFn as unknown as typeof fetch)).toEqual({ status: 'unavailable' });
	});

	it.each(['garbage', 'k57abc123|', '|j97def456', 'a|b|c', 'k57 abc|j97def456', ''])(
		'refuses the malformed refresh token %j without asking the backend, which could only crash on it',
		async (token) => {
			const fetchFn = success({ tokens: NEW });
			expect(await call(fetchFn, token)).toEqual({ status: 'refused' });
			expect(fetchFn).not.toHaveBeenCalled();
		}
	);
});

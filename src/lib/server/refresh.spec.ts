import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRefresher, type RefreshResult } from './refresh.ts';

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

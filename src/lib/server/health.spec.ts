import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('./config.ts', () => ({
	config: { convexUrl: 'http://127.0.0.1:3210', cookieSecure: 'auto' }
}));

const { backendReachable } = await import('./health.ts');

const answered = () =>
	Response.json({ status: 'success', value: false, logLines: [] }, { status: 200 });

/** Each test starts a minute after the last, so no earlier probe is reused. */
let clock = 0;
const later = () => (clock += 60_000);

afterEach(() => vi.unstubAllGlobals());

describe('backendReachable', () => {
	it('is true when the backend answers an anonymous query', async () => {
		const fetch = vi.fn(async () => answered());
		vi.stubGlobal('fetch', fetch);
		await expect(backendReachable(later())).resolves.toBe(true);
		expect(String((fetch.mock.calls[0] as unknown[])[0])).toBe('http://127.0.0.1:3210/api/query');
	});

	it('is false when the backend cannot be reached or fails', async () => {
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => {
				throw new TypeError('fetch failed');
			})
		);
		await expect(backendReachable(later())).resolves.toBe(false);
		vi.stubGlobal(
			'fetch',
			vi.fn(async () => new Response('bad gateway', { status: 502 }))
		);
		await expect(backendReachable(later())).resolves.toBe(false);
	});

	it('asks the backend at most once a second, however many ask it', async () => {
		const fetch = vi.fn(async () => answered());
		vi.stubGlobal('fetch', fetch);
		const start = later();
		const answers = await Promise.all(
			Array.from({ length: 50 }, (_, i) => backendReachable(start + i * 10))
		);
		expect(answers.every(Boolean)).toBe(true);
		expect(fetch).toHaveBeenCalledTimes(1);
		await backendReachable(start + 1000);
		expect(fetch).toHaveBeenCalledTimes(2);
	});
});

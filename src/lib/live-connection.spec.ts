import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Message } from './live-connection.ts';

vi.mock('$app/navigation', () => ({ invalidateAll: vi.fn() }));

const refusal =
	'projects:mine is not live-readable: add it to the allowlist in src/lib/server/live/registry.ts';
const fetchMock = vi.fn<typeof fetch>();

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
	vi.stubGlobal('fetch', fetchMock);
	vi.resetModules();
});
afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	fetchMock.mockReset();
});

/** Subscribes one listener; resolves with the first message it gets. */
async function firstMessage(name: string) {
	const { subscribe } = await import('./live-connection.ts');
	return new Promise<Message>((resolve) => subscribe([name, {}], resolve));
}

describe('the /live stream in the browser', () => {
	it('shows a refusal (403) on the console and in the query, and does not retry it', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		fetchMock.mockResolvedValue(Response.json({ message: refusal }, { status: 403 }));
		expect(await firstMessage('projects:mine')).toEqual({ type: 'error', q: -1, message: refusal });
		expect(logged).toHaveBeenCalledWith(`[live] ${refusal}`);
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetchMock).toHaveBeenCalledTimes(1);
	});

	it('retries, with backoff, a failure that may pass (502)', async () => {
		fetchMock.mockResolvedValue(new Response('bad gateway', { status: 502 }));
		void firstMessage('notes:list');
		await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
		await vi.advanceTimersByTimeAsync(60_000);
		expect(fetchMock.mock.calls.length).toBeGreaterThan(3);
	});
});

import { afterEach, describe, expect, it, vi } from 'vitest';

const environment = vi.hoisted(() => ({ dev: false }));
vi.mock('$app/env', () => environment);
vi.mock('../config.ts', () => ({
	config: { trustedOrigins: [], convexUrl: 'http://127.0.0.1:9' }
}));
vi.mock('./upstream.ts', () => ({ convexUpstream: vi.fn() }));

const { openLiveStream } = await import('./index.ts');

/** A signed-in, same-origin stream request for `subs`. */
function open(subs: unknown) {
	const url = new URL(`http://localhost/live?q=${encodeURIComponent(JSON.stringify(subs))}`);
	const request = new Request(url, { headers: { 'sec-fetch-site': 'same-origin' } });
	const locals = {
		user: { id: 'u', email: 'a@example.com', name: '' },
		session: { id: 's', issuedAt: 0, expiresAt: Date.now() + 3_600_000 },
		token: 'jwt'
	};
	const event = { request, url, locals };
	return openLiveStream(event as unknown as Parameters<typeof openLiveStream>[0]);
}

afterEach(() => {
	vi.restoreAllMocks();
	environment.dev = false;
});

describe('/live refusing a query that is not on the allowlist', () => {
	it('in development, names the function and the file to edit, in the answer and the terminal', async () => {
		environment.dev = true;
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await open([['projects:mine', {}]]);
		expect(res.status).toBe(403);
		const { message } = (await res.json()) as { message: string };
		expect(message).toBe(
			'projects:mine is not live-readable: add it to the allowlist in src/lib/server/live/registry.ts'
		);
		expect(logged).toHaveBeenCalledWith(`[live] ${message}`);
	});

	it('in production, answers 403 with no detail and logs nothing', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const res = await open([
			['notes:list', {}],
			['projects:mine', {}]
		]);
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ message: 'Not live-readable' });
		expect(logged).not.toHaveBeenCalled();
	});
});

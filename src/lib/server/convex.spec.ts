import { isHttpError, isRedirect, type Cookies } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from '#convex/_generated/api.js';

const deleted: string[] = [];
vi.mock('./config.ts', () => ({
	config: { convexUrl: 'http://127.0.0.1:3210', cookieSecure: 'auto' }
}));
vi.mock('$app/server', () => ({
	getRequestEvent: () => ({
		cookies: { delete: (name: string) => deleted.push(name) } as unknown as Cookies,
		url: new URL('http://localhost/account'),
		locals: { token: 'jwt', user: null }
	})
}));

const { BACKEND_DOWN, convex } = await import('./convex.ts');

/** What the query through convex() threw (fails if it resolved). */
async function thrownBy(answer: Response): Promise<unknown> {
	vi.stubGlobal(
		'fetch',
		vi.fn(async () => answer)
	);
	return convex()
		.query(api.users.me, {})
		.then(
			() => expect.fail('expected the query to throw'),
			(e: unknown) => e
		);
}
const failure = (errorData?: unknown) =>
	Response.json(
		{ status: 'error', errorMessage: '[Request ID: 1] Server Error', errorData, logLines: [] },
		{ status: 560 }
	);

beforeEach(() => {
	deleted.length = 0;
});
afterEach(() => {
	vi.unstubAllGlobals();
});

describe('convex()', () => {
	it.each([
		[
			'a JWT the backend refuses outright (401)',
			new Response('InvalidAuthHeader', { status: 401 })
		],
		['a session revoked on the backend (UNAUTHENTICATED)', failure({ code: 'UNAUTHENTICATED' })]
	])('signs the browser out on %s: cookies cleared, sent to log in', async (_, answer) => {
		const thrown = await thrownBy(answer);
		expect(isRedirect(thrown) && thrown.location).toBe('/login?redirectTo=%2Faccount');
		expect(deleted).toEqual(['convex-jwt', 'convex-refresh']);
	});

	it('hands any other ConvexError to the caller, keeping the session', async () => {
		const thrown = await thrownBy(failure({ code: 'NOT_FOUND' }));
		expect(thrown).toBeInstanceOf(ConvexError);
		expect((thrown as ConvexError<{ code: string }>).data).toEqual({ code: 'NOT_FOUND' });
		expect(deleted).toEqual([]);
	});

	it('answers 503 for a backend that is down, keeping the session', async () => {
		const thrown = await thrownBy(new Response('bad gateway', { status: 502 }));
		expect(isHttpError(thrown) && [thrown.status, thrown.body.message]).toEqual([
			503,
			BACKEND_DOWN
		]);
		expect(deleted).toEqual([]);
	});
});

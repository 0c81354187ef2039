import { isHttpError, isRedirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import type { SessionOutcome } from './session.ts';

vi.mock('./config.ts', () => ({ config: { cookieSecure: 'auto', trustedOrigins: [] } }));
const outcome = vi.hoisted(() => ({ next: 'anonymous' as SessionOutcome }));
vi.mock('./session.ts', () => ({ establishSession: async () => outcome.next }));
vi.mock('./convex.ts', () => ({ BACKEND_DOWN: 'down' }));

const { guard, securityHeaders, session } = await import('./handles.ts');

function event(user: boolean, routeId = '/', method = 'GET') {
	return {
		locals: { user: user ? { id: 'u', email: 'a@example.com', name: '' } : null, token: null },
		route: { id: routeId },
		request: new Request('https://app.example.com/', { method })
	} as unknown as RequestEvent;
}

describe('securityHeaders', () => {
	it('adds the headers to every response and keeps a signed-in one out of every cache', async () => {
		const response = await securityHeaders({
			event: event(true),
			resolve: async () => new Response('ok')
		});
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('cache-control')).toBe('private, no-store');
		expect(response.headers.get('vary')).toContain('Cookie');
	});

	it('keeps a signed-in response out of every cache whatever its route said, varied on Cookie', async () => {
		// A proxied upstream answer, say, that would let caches keep it.
		const response = await securityHeaders({
			event: event(true, '/api/[...path]'),
			resolve: async () =>
				new Response('{}', { headers: { vary: 'Accept', 'cache-control': 'public, max-age=3600' } })
		});
		expect(response.headers.get('cache-control')).toBe('private, no-store');
		expect(response.headers.get('vary')).toBe('Accept, Cookie');
	});

	it('leaves caching alone for anonymous responses', async () => {
		const response = await securityHeaders({
			event: event(false),
			resolve: async () =>
				new Response('ok', { headers: { 'cache-control': 'public, max-age=60' } })
		});
		expect(response.headers.get('cache-control')).toBe('public, max-age=60');
	});

	it('copies a response whose headers are read-only instead of failing the request', async () => {
		const response = await securityHeaders({
			event: event(true),
			resolve: async () => Response.redirect('https://app.example.com/elsewhere', 302)
		});
		expect(response.status).toBe(302);
		expect(response.headers.get('location')).toBe('https://app.example.com/elsewhere');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it('keeps a response that sets a session cookie out of every cache, signed in or not', async () => {
		// Signing in: the request is anonymous, the response carries the new session.
		const response = await securityHeaders({
			event: event(false, '/(auth)/login', 'POST'),
			resolve: async () =>
				new Response(null, {
					status: 303,
					headers: [
						['location', '/notes'],
						['set-cookie', '__Host-convex-jwt=j; Path=/; HttpOnly; Secure; SameSite=Lax'],
						['set-cookie', '__Host-convex-refresh=r; Path=/; HttpOnly; Secure; SameSite=Lax']
					]
				})
		});
		expect(response.headers.get('cache-control')).toBe('private, no-store');
	});

	it('gives a response without a CSP a strict one and keeps the one a page brings', async () => {
		const bare = await securityHeaders({
			event: event(false, '/live'),
			resolve: async () =>
				new Response('<h1>401</h1>', { status: 401, headers: { 'content-type': 'text/html' } })
		});
		expect(bare.headers.get('content-security-policy')).toBe(
			"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
		);
		const page = await securityHeaders({
			event: event(false),
			resolve: async () =>
				new Response('<h1>ok</h1>', {
					headers: { 'content-security-policy': "script-src 'nonce-abc'" }
				})
		});
		expect(page.headers.get('content-security-policy')).toBe("script-src 'nonce-abc'");
	});

	it('sends Clear-Site-Data only with a successful logout', async () => {
		const ok = await securityHeaders({
			event: event(true, '/logout', 'POST'),
			resolve: async () => new Response(null, { status: 303 })
		});
		expect(ok.headers.get('clear-site-data')).toBe('"cookies", "storage"');
		const page = await securityHeaders({
			event: event(true, '/logout'),
			resolve: async () => new Response('ask')
		});
		expect(page.headers.get('clear-site-data')).toBeNull();
	});
});

describe('guard', () => {
	/** The session step with `found` as its outcome, then the guard, for an (app) page. */
	async function visit(found: SessionOutcome) {
		outcome.next = found;
		const e = {
			...event(false, '/(app)/account'),
			url: new URL('https://app.example.com/account')
		} as RequestEvent;
		const reached = vi.fn(async () => new Response('page'));
		const thrown = await Promise.resolve(
			session({ event: e, resolve: async (next) => guard({ event: next, resolve: reached }) })
		).catch((x: unknown) => x);
		return { thrown, reached };
	}

	it('sends an anonymous visitor to log in, coming back afterwards', async () => {
		const { thrown, reached } = await visit('anonymous');
		expect(isRedirect(thrown) && thrown.location).toBe('/login?redirectTo=%2Faccount');
		expect(reached).not.toHaveBeenCalled();
	});

	it('answers 503 to a browser whose session could not be confirmed, instead of asking it to log in', async () => {
		const { thrown, reached } = await visit('unconfirmed');
		expect(isHttpError(thrown) && [thrown.status, thrown.body.message]).toEqual([503, 'down']);
		expect(reached).not.toHaveBeenCalled();
	});
});

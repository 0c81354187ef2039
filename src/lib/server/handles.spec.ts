import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';

vi.mock('./config.ts', () => ({
	config: {
		cookieSecure: 'auto',
		trustedOrigins: [],
		backendOrigins: new Set(['https://api.example.com', 'https://partner.example.com'])
	}
}));
vi.mock('./session.ts', () => ({
	verify: vi.fn(),
	refresh: vi.fn(),
	// The real choice is tested in backend-token.spec.ts: here, a token that names its origin.
	bearerFor: async (origin: string) => `token for ${origin}`
}));
vi.mock('./convex.ts', () => ({ BACKEND_DOWN: 'down' }));

const { backendFetch, securityHeaders } = await import('./handles.ts');

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

describe('backendFetch', () => {
	const call = async (url: string) => {
		let sent: Request | undefined;
		await backendFetch({
			event: event(true),
			request: new Request(url, { headers: { cookie: 'session=secret' } }),
			fetch: async (input: RequestInfo | URL) => ((sent = input as Request), new Response('ok'))
		} as unknown as Parameters<typeof backendFetch>[0]);
		return sent!;
	};

	it('gives each allow-listed origin the token chosen for it, without cookies', async () => {
		for (const origin of ['https://api.example.com', 'https://partner.example.com']) {
			const sent = await call(`${origin}/x`);
			expect(sent.headers.get('authorization')).toBe(`Bearer token for ${origin}`);
			expect(sent.headers.has('cookie')).toBe(false);
		}
	});

	it('asks for no token for any other origin', async () => {
		const sent = await call('https://elsewhere.example.com/x');
		expect(sent.headers.has('authorization')).toBe(false);
		expect(sent.headers.get('cookie')).toBe('session=secret');
	});
});

// The request pipeline's steps; src/hooks.server.ts puts them in order.
import { error, json, redirect } from '@sveltejs/kit';
import type { Handle, HandleFetch } from '@sveltejs/kit/hooks';
import { decodeJwt } from 'jose';
import { withBearer } from './backend-fetch.ts';
import { config } from './config.ts';
import { BACKEND_DOWN } from './convex.ts';
import { isAllowedOrigin } from './csrf.ts';
import { clearSessionCookies, readSessionCookies, setSessionCookies } from './cookies.ts';
import { loginUrl } from './redirect.ts';
import { applySecurityHeaders, NO_STORE } from './security-headers.ts';
import { bearerFor, refresh, verify } from './session.ts';
import { needsRefresh } from './tokens.ts';

const mode = config.cookieSecure;

/**
 * The headers of src/lib/server/security-headers.ts on every response SvelteKit renders (pages bring
 * their CSP from the `csp` option in vite.config.ts). A signed-in user's responses are never stored:
 * not by shared caches, and not by the browser for Back after logout.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = secured(await resolve(event));
	const headers = response.headers;
	if (event.locals.user) {
		headers.set('cache-control', NO_STORE);
		headers.append('vary', 'Cookie');
	}
	// Logging out also wipes what pages stored, so Back finds nothing. Set here because SvelteKit
	// drops setHeaders() from a form action that redirects.
	if (event.route.id === '/logout' && event.request.method === 'POST' && response.status < 400) {
		headers.set('clear-site-data', '"cookies", "storage"');
	}
	return response;
};

/** An endpoint may return a fetch() response as is, whose headers are read-only: copy it then. */
function secured(response: Response): Response {
	try {
		applySecurityHeaders(response.headers);
		return response;
	} catch {
		const copy = new Response(response.body, response);
		applySecurityHeaders(copy.headers);
		return copy;
	}
}

/** Cross-site requests never change state, whatever their content type. */
export const csrf: Handle = async ({ event, resolve }) => {
	if (isAllowedOrigin(event.request, event.url.origin, config.trustedOrigins))
		return resolve(event);
	const response = json({ message: 'Cross-site request refused' }, { status: 403 });
	response.headers.set('vary', 'Origin, Sec-Fetch-Site');
	return response;
};

/** Verified JWT cookie → `locals.user` / `locals.token`. An unverifiable token counts as none. */
export const session: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.token = null;
	const { token } = readSessionCookies(event.cookies, event.url, mode);
	if (token) {
		const result = await verify(token);
		if (result.status === 'valid') {
			event.locals.user = result.session.user;
			event.locals.token = token;
		}
	}
	return resolve(event);
};

/** Refreshes a missing or expiring JWT before any load runs, so the whole request sees the new one. */
export const refreshSession: Handle = async ({ event, resolve }) => {
	const { token, refresh: refreshToken } = readSessionCookies(event.cookies, event.url, mode);
	if (!refreshToken) return resolve(event);
	const current = token ? await verify(token) : null;
	if (current?.status === 'valid' && !needsRefresh(current.session)) return resolve(event);

	const result = await refresh(refreshToken);
	if (result.status === 'refreshed') {
		const next = await verify(result.tokens.token);
		// Store the rotated pair even if it cannot be verified right now: the old refresh token is spent.
		const expiresAt =
			next.status === 'valid'
				? next.session.expiresAt
				: (decodeJwt(result.tokens.token).exp ?? 0) * 1000;
		setSessionCookies(event.cookies, event.url, mode, result.tokens, expiresAt);
		if (next.status === 'valid') {
			event.locals.user = next.session.user;
			event.locals.token = result.tokens.token;
		}
	} else if (result.status === 'refused') {
		clearSessionCookies(event.cookies, event.url, mode);
		event.locals.user = null;
		event.locals.token = null;
	}
	// 'unavailable': keep the cookies; a still-valid JWT keeps working until the backend is back.
	return resolve(event);
};

/** The (app) route group is for signed-in users only. */
export const guard: Handle = async ({ event, resolve }) => {
	if (!event.route.id?.startsWith('/(app)') || event.locals.user) return resolve(event);
	// Signed in, but the session could not be refreshed because the backend is down: say so.
	if (readSessionCookies(event.cookies, event.url, mode).refresh) error(503, BACKEND_DOWN);
	redirect(303, loginUrl(event.url));
};

/** `event.fetch` to an allow-listed backend carries a Bearer token for it, never the user's cookies. */
export const backendFetch: HandleFetch = async ({ event, request, fetch }) => {
	const origin = new URL(request.url).origin;
	if (!config.backendOrigins.has(origin)) return fetch(request);
	return fetch(withBearer(request, await bearerFor(origin, event.locals), config.backendOrigins));
};

// The request pipeline's steps; src/hooks.server.ts puts them in order.
import { error, json, redirect } from '@sveltejs/kit';
import type { Handle } from '@sveltejs/kit/hooks';
import { config } from './config.ts';
import { BACKEND_DOWN } from './convex.ts';
import { isAllowedOrigin } from './csrf.ts';
import { loginUrl } from './redirect.ts';
import { applySecurityHeaders } from './security-headers.ts';
import { establishSession } from './session.ts';

/**
 * The headers of src/lib/server/security-headers.ts on every response SvelteKit renders (pages bring
 * their CSP from the `csp` option in vite.config.ts), with its one caching rule: nothing a
 * signed-in user is sent is ever stored.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = secured(await resolve(event), event.locals.user !== null);
	// Logging out also wipes what pages stored, so Back finds nothing. Set here because SvelteKit
	// drops setHeaders() from a form action that redirects.
	if (event.route.id === '/logout' && event.request.method === 'POST' && response.status < 400) {
		response.headers.set('clear-site-data', '"cookies", "storage"');
	}
	return response;
};

/** An endpoint may return a fetch() response as is, whose headers are read-only: copy it then. */
function secured(response: Response, signedIn: boolean): Response {
	try {
		applySecurityHeaders(response.headers, signedIn);
		return response;
	} catch {
		const copy = new Response(response.body, response);
		applySecurityHeaders(copy.headers, signedIn);
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

/** Requests whose browser holds a session the backend could not be asked about (keyed by locals: one object per request). */
const unconfirmed = new WeakSet<App.Locals>();

/** Session cookies → `locals.user`, `locals.session`, `locals.token`, refreshed when due. */
export const session: Handle = async ({ event, resolve }) => {
	if ((await establishSession(event)) === 'unconfirmed') unconfirmed.add(event.locals);
	return resolve(event);
};

/** The (app) route group is for signed-in users only. */
export const guard: Handle = async ({ event, resolve }) => {
	if (!event.route.id?.startsWith('/(app)') || event.locals.user) return resolve(event);
	// Signed in, but the session could not be refreshed because the backend is down: say so.
	if (unconfirmed.has(event.locals)) error(503, BACKEND_DOWN);
	redirect(303, loginUrl(event.url));
};

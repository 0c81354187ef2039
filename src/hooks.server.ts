import { sequence, type ServerInit } from '@sveltejs/kit/hooks';
import { building } from '$app/env';
import {
	backendFetch,
	csrf,
	guard,
	refreshSession,
	securityHeaders,
	session
} from '#lib/server/handles.ts';
import { keepStartContext } from '#lib/server/live/detached.ts';
import { checkServerSecret } from '#lib/server/secret-check.ts';

/**
 * At start, before any request: the context the live relay creates its long-lived streams in; then
 * whether the deployment shares this server's secret (logged if not).
 */
export const init: ServerInit = async () => {
	keepStartContext();
	if (!building) await checkServerSecret();
};

/**
 * Every request, in order:
 * 0. securityHeaders: nosniff, referrer policy, no framing, a CSP where a response has none; signed-in
 *    responses and responses that set a cookie are never cached.
 * 1. csrf: a state-changing request from another origin is refused, whatever its content type.
 * 2. session: the JWT cookie, verified against the backend's keys → `locals.user`, `locals.token`.
 * 3. refreshSession: a missing or expiring JWT is refreshed before any load runs.
 * 4. guard: the (app) routes send anonymous visitors to /login?redirectTo=….
 */
export const handle = sequence(securityHeaders, csrf, session, refreshSession, guard);

/** Server-side `fetch` to allow-listed backends gets `Authorization: Bearer`; nothing else does. */
export const handleFetch = backendFetch;

import { sequence, type ServerInit } from '@sveltejs/kit/hooks';
import { building } from '$app/env';
import { backendAuthorization } from '#lib/server/backends/index.ts';
import { csrf, guard, securityHeaders, session } from '#lib/server/handles.ts';
import { keepStartContext } from '#lib/server/live/index.ts';
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
 * 0. securityHeaders: nosniff, referrer policy, no framing, a CSP where a response has none; a
 *    signed-in response, or one that sets a cookie, is never cached.
 * 1. csrf: a state-changing request from another origin is refused, whatever its content type.
 * 2. session: the session cookies, read and verified once (refreshed when due) → `locals.user`,
 *    `locals.session`, `locals.token`.
 * 3. guard: the (app) routes send anonymous visitors to /login?redirectTo=….
 */
export const handle = sequence(securityHeaders, csrf, session, guard);

/** Server-side `fetch` to allow-listed backends gets `Authorization: Bearer`; nothing else does. */
export const handleFetch = backendAuthorization;

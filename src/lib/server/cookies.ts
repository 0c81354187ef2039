import type { RequestEvent } from '@sveltejs/kit';
import { config } from './config.ts';

/** Convex Auth's default session lifetime; the refresh cookie lives no longer than the session it refreshes. */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;
/** Browsers drop cookies over 4096 bytes silently; failing loudly is better than a login that does not stick. */
const MAX_COOKIE_BYTES = 4096;

export type CookieMode = 'auto' | 'always';
/** The parts of a request the session cookies are read from and written to. */
type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

/**
 * `__Host-` + Secure unless the app is served over plain http (local development), where browsers
 * refuse both. `__Host-` pins the cookie to this exact host and Path=/, with no Domain.
 */
export function isSecure(url: URL, mode: CookieMode): boolean {
	return mode === 'always' || url.protocol === 'https:';
}

export function cookieNames(secure: boolean) {
	const prefix = secure ? '__Host-' : '';
	return { token: `${prefix}convex-jwt`, refresh: `${prefix}convex-refresh` } as const;
}

function options(secure: boolean, maxAge: number) {
	return { path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge } as const;
}

function namesFor({ url }: CookieEvent) {
	const secure = isSecure(url, config.cookieSecure);
	return { secure, names: cookieNames(secure) };
}

export function readSessionCookies(event: CookieEvent) {
	const { names } = namesFor(event);
	return {
		token: event.cookies.get(names.token) ?? null,
		refresh: event.cookies.get(names.refresh) ?? null
	};
}

/** Stores a token pair, replacing whatever session cookies the browser had. */
export function setSessionCookies(
	event: CookieEvent,
	tokens: { token: string; refreshToken: string },
	tokenExpiresAt: number
) {
	const { secure, names } = namesFor(event);
	const tokenMaxAge = Math.max(1, Math.floor((tokenExpiresAt - Date.now()) / 1000));
	for (const [name, value] of [
		[names.token, tokens.token],
		[names.refresh, tokens.refreshToken]
	]) {
		if (name.length + value.length + 120 > MAX_COOKIE_BYTES) {
			throw new Error(`cookie ${name} would exceed ${MAX_COOKIE_BYTES} bytes`);
		}
	}
	event.cookies.set(names.token, tokens.token, options(secure, tokenMaxAge));
	event.cookies.set(names.refresh, tokens.refreshToken, options(secure, SESSION_MAX_AGE_S));
}

export function clearSessionCookies(event: CookieEvent) {
	const { secure, names } = namesFor(event);
	event.cookies.delete(names.token, options(secure, 0));
	event.cookies.delete(names.refresh, options(secure, 0));
}

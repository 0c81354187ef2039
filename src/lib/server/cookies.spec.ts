import type { Cookies } from '@sveltejs/kit';
import { parseSetCookie, stringifySetCookie, type SetCookie } from 'cookie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const config = vi.hoisted(() => ({ cookieSecure: 'auto' as 'auto' | 'always' }));
vi.mock('./config.ts', () => ({ config }));

const {
	SESSION_MAX_AGE_S,
	clearSessionCookies,
	cookieNames,
	isSecure,
	readSessionCookies,
	setSessionCookies
} = await import('./cookies.ts');

const HTTPS = new URL('https://app.example/notes');
const HTTP = new URL('http://localhost:5173/notes');
const NOW = Date.UTC(2030, 0, 1);
const EXP = NOW + 3600_000;
const tokens = { token: 'header.payload.signature', refreshToken: 'refresh|session' };

/** A cookie jar that sends each set/delete through `cookie` as a real Set-Cookie header, with no defaults of its own. */
function fakeCookies(initial: Record<string, string> = {}) {
	const jar = new Map(Object.entries(initial));
	const headers: string[] = [];
	const cookies: Cookies = {
		get: (name) => jar.get(name),
		getAll: () => [...jar].map(([name, value]) => ({ name, value })),
		set(name, value, opts) {
			headers.push(stringifySetCookie({ name, value, ...opts }));
			jar.set(name, value);
		},
		delete(name, opts) {
			headers.push(stringifySetCookie({ name, value: '', ...opts }));
			jar.delete(name);
		},
		serialize: (name, value, opts) => stringifySetCookie({ name, value, ...opts }),
		parse: parseSetCookie
	};
	return { cookies, jar, headers, sent: (): SetCookie[] => headers.map((h) => parseSetCookie(h)) };
}

/** The request a helper is given: its cookies and URL, under the configured cookie mode. */
function at(cookies: Cookies, url: URL, mode: 'auto' | 'always' = 'auto') {
	config.cookieSecure = mode;
	return { cookies, url };
}

beforeEach(() => {
	vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
	vi.useRealTimers();
});

describe('cookie names and Secure', () => {
	it.each([
		['on https', HTTPS, 'auto'],
		['on plain http when the mode is always', HTTP, 'always']
	] as const)('uses __Host- names with Secure %s', (_, url, mode) => {
		expect(isSecure(url, mode)).toBe(true);
		const { cookies, sent } = fakeCookies();
		setSessionCookies(at(cookies, url, mode), tokens, EXP);
		expect(sent().map((c) => [c.name, c.secure])).toEqual([
			['__Host-convex-jwt', true],
			['__Host-convex-refresh', true]
		]);
	});

	it('uses plain names without Secure on http://localhost, where browsers refuse both', () => {
		expect(isSecure(HTTP, 'auto')).toBe(false);
		expect(cookieNames(false)).toEqual({ token: 'convex-jwt', refresh: 'convex-refresh' });
		const { cookies, headers } = fakeCookies();
		setSessionCookies(at(cookies, HTTP), tokens, EXP);
		expect(headers.map((h) => h.split('=')[0])).toEqual(['convex-jwt', 'convex-refresh']);
		expect(headers.join('\n')).not.toMatch(/Secure/i);
	});

	it('reads only the prefixed cookies on https, never an unprefixed one a sibling host could plant', () => {
		const { cookies } = fakeCookies({ 'convex-jwt': 'planted', 'convex-refresh': 'planted' });
		expect(readSessionCookies(at(cookies, HTTPS))).toEqual({ token: null, refresh: null });
		const real = fakeCookies({ '__Host-convex-jwt': 'jwt', '__Host-convex-refresh': 'rt' });
		expect(readSessionCookies(at(real.cookies, HTTPS))).toEqual({
			token: 'jwt',
			refresh: 'rt'
		});
	});
});

describe('setSessionCookies', () => {
	it.each([
		['https', HTTPS],
		['http', HTTP]
	])('always sets HttpOnly, SameSite=Lax, Path=/ and no Domain over %s', (_, url) => {
		const { cookies, headers } = fakeCookies();
		setSessionCookies(at(cookies, url), tokens, EXP);
		for (const header of headers) {
			expect(header).toMatch(/; HttpOnly(;|$)/);
			expect(header).toMatch(/; SameSite=Lax(;|$)/);
			expect(header).toMatch(/; Path=\/(;|$)/);
			expect(header).not.toMatch(/Domain=/i);
		}
	});

	it('gives the JWT cookie the token lifetime and the refresh cookie the session lifetime', () => {
		const { cookies, sent } = fakeCookies();
		setSessionCookies(at(cookies, HTTPS), tokens, NOW + 3600_000 + 999);
		expect(sent().map((c) => c.maxAge)).toEqual([3600, SESSION_MAX_AGE_S]);
	});

	it('never writes a JWT cookie with a zero or negative Max-Age, which would delete it', () => {
		const { cookies, sent } = fakeCookies();
		setSessionCookies(at(cookies, HTTPS), tokens, NOW - 5000);
		expect(sent()[0].maxAge).toBe(1);
	});

	it('replaces both cookies of an earlier session', () => {
		const { cookies } = fakeCookies({ '__Host-convex-jwt': 'old', '__Host-convex-refresh': 'old' });
		setSessionCookies(at(cookies, HTTPS), tokens, EXP);
		expect(readSessionCookies(at(cookies, HTTPS))).toEqual({
			token: tokens.token,
			refresh: tokens.refreshToken
		});
	});

	it('throws on a token whose cookie would exceed 4 KB, instead of letting the browser drop it', () => {
		const { cookies, headers } = fakeCookies();
		const big = { ...tokens, token: 'x'.repeat(4000) };
		expect(() => setSessionCookies(at(cookies, HTTPS), big, EXP)).toThrow(/4096 bytes/);
		expect(headers).toEqual([]);
	});

	it('sets neither cookie when only the refresh token is too large', () => {
		const { cookies, headers } = fakeCookies();
		const big = { ...tokens, refreshToken: 'x'.repeat(4000) };
		expect(() => setSessionCookies(at(cookies, HTTPS), big, EXP)).toThrow();
		expect(headers).toEqual([]);
	});

	it('accepts the largest token it allows, and its Set-Cookie header fits in 4 KB', () => {
		const { cookies, headers } = fakeCookies();
		const token = 'x'.repeat(4096 - 120 - '__Host-convex-jwt'.length);
		setSessionCookies(at(cookies, HTTPS), { ...tokens, token }, EXP);
		expect(new TextEncoder().encode(headers[0]).length).toBeLessThanOrEqual(4096);
	});
});

describe('clearSessionCookies', () => {
	it.each([
		['https', HTTPS, '__Host-'],
		['http', HTTP, '']
	])('deletes both cookies over %s with the attributes they were set with', (_, url, prefix) => {
		const set = fakeCookies();
		setSessionCookies(at(set.cookies, url), tokens, EXP);
		const { cookies, jar, sent } = fakeCookies(Object.fromEntries(set.jar));
		clearSessionCookies(at(cookies, url));
		expect(jar.size).toBe(0);
		const attrs = ({ name, path, domain, secure, httpOnly, sameSite }: SetCookie) => ({
			name,
			path,
			domain,
			secure,
			httpOnly,
			sameSite
		});
		expect(sent().map(attrs)).toEqual(set.sent().map(attrs));
		expect(sent().map((c) => [c.name, c.maxAge])).toEqual([
			[`${prefix}convex-jwt`, 0],
			[`${prefix}convex-refresh`, 0]
		]);
	});
});

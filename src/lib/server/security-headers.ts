// The headers every response carries, written once. The hooks' `securityHeaders` applies them to
// what SvelteKit renders; the production server (server.ts) and `vite preview` (vite.config.ts) apply
// them to everything else they serve too: static files, `/_app/*`, responses the hooks never see.
// No runtime imports, so Node runs it as it is from server.ts.
import type { ServerResponse } from 'node:http';

/** On every response, whoever serves it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY'
};

/**
 * For a response without a CSP of its own (static files, error pages of `+server` routes): nothing
 * in it may run, load, submit or frame it. Pages keep SvelteKit's CSP with nonces.
 */
export const FALLBACK_CSP =
	"default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** For one response only: no shared cache and no browser cache keeps it. */
export const NO_STORE = 'private, no-store';

type HeaderTarget = {
	has(name: string): boolean;
	set(name: string, value: string): void;
	append(name: string, value: string): void;
};

/**
 * The rules for every response. The one caching rule: a response for one user is never stored,
 * not by shared caches and not by the browser (Back after logout). That is every response to a
 * signed-in request (pages, data, `/api`, `/live`), varied on Cookie, and every response that
 * sets a cookie (login, refresh, logout).
 */
export function applySecurityHeaders(headers: HeaderTarget, signedIn = false): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	if (!headers.has('content-security-policy')) headers.set('content-security-policy', FALLBACK_CSP);
	if (signedIn || headers.has('set-cookie')) headers.set('cache-control', NO_STORE);
	if (signedIn) headers.append('vary', 'Cookie');
}

/**
 * Applies the rules to a Node response just before its head is written, whoever writes it: every
 * path to the wire (`writeHead`, or `write`/`end` without it) goes through `writeHead`.
 */
export function secureNodeResponse(res: ServerResponse): void {
	const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
	res.writeHead = ((...args: unknown[]) => {
		// Headers passed here win over setHeader() ones: fold them in first, so the rules see them.
		const last = args.at(-1);
		if (last && typeof last === 'object' && !Array.isArray(last)) {
			for (const [name, value] of Object.entries(last))
				if (value !== undefined) res.setHeader(name, value as string | string[] | number);
			args = args.slice(0, -1);
		}
		applySecurityHeaders({
			has: (n) => res.hasHeader(n),
			set: (n, v) => res.setHeader(n, v),
			append: (n, v) => res.appendHeader(n, v)
		});
		return writeHead(...args);
	}) as ServerResponse['writeHead'];
}

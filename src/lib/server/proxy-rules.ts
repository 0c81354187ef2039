import { UNSAFE_CHARS, fullyDecode } from './decode.ts';

/** Methods the proxy forwards. Anything else (OPTIONS, TRACE, CONNECT, …) is answered 405 here. */
export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The upstream URL for `path` (SvelteKit's fully decoded `[...path]`) under `base`, or null when the
 * path could leave the base: `..` or `.` segments, empty segments (`//`), backslashes, a scheme,
 * control characters — checked after decoding again, since the upstream may decode once more.
 */
export function upstreamUrl(base: URL, path: string, search: string): URL | null {
	if (path.length > 2048 || search.length > 4096 || UNSAFE_CHARS.test(search)) return null;
	const segments = path.split('/');
	for (const segment of segments) {
		// A lone surrogate would make encodeURIComponent throw below.
		const decoded = segment.isWellFormed() ? fullyDecode(segment) : null;
		if (decoded === null || decoded === '' || decoded === '.' || decoded === '..') return null;
		if (
			UNSAFE_CHARS.test(decoded) ||
			decoded.includes('/') ||
			/^[a-z][a-z0-9+.-]*:/i.test(decoded)
		) {
			return null;
		}
	}
	const prefix = base.pathname.replace(/\/+$/, '');
	const url = new URL(base.origin);
	url.pathname = `${prefix}/${segments.map(encodeURIComponent).join('/')}`;
	url.search = search;
	// Belt and braces: whatever the checks above missed, the result must still sit under the base.
	if (url.origin !== base.origin || !url.pathname.startsWith(`${prefix}/`)) return null;
	return url;
}

/** Request headers a client may pass to the upstream. Cookie, Authorization, Host, hop-by-hop and X-Forwarded-* never pass. */
const REQUEST_ALLOW = new Set([
	'accept',
	'accept-language',
	'cache-control',
	'content-type',
	'if-match',
	'if-modified-since',
	'if-none-match',
	'if-unmodified-since',
	'range',
	'user-agent'
]);

export function upstreamRequestHeaders(
	incoming: Headers,
	opts: { token: string | null; clientAddress: string; origin: URL }
): Headers {
	const out = new Headers();
	for (const [name, value] of incoming) if (REQUEST_ALLOW.has(name)) out.set(name, value);
	if (opts.token) out.set('authorization', `Bearer ${opts.token}`);
	out.set('x-forwarded-for', opts.clientAddress);
	out.set('x-forwarded-proto', opts.origin.protocol.slice(0, -1));
	out.set('x-forwarded-host', opts.origin.host);
	return out;
}

const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'proxy-authenticate',
	'proxy-authorization',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade'
]);

/**
 * Response headers for the browser: no Set-Cookie (the upstream must not plant cookies on this
 * origin), no CORS grants, no hop-by-hop. The body is passed on as received, so its encoding and
 * length headers stay.
 */
export function clientResponseHeaders(upstream: Headers, authenticated: boolean): Headers {
	const out = new Headers();
	for (const [name, value] of upstream) {
		if (HOP_BY_HOP.has(name) || name === 'set-cookie' || name.startsWith('access-control-'))
			continue;
		out.append(name, value);
	}
	if (authenticated) {
		// Per-user data must not be stored by shared caches nor kept after logout.
		out.set('cache-control', 'private, no-store');
		out.append('vary', 'Cookie');
	}
	return out;
}

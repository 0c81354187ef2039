import { UNSAFE_CHARS, fullyDecode } from '../decode.ts';

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

/**
 * Headers for the upstream: the allowed ones, the user's token, the client address as the adapter
 * determined it, and the app's public origin as configured (PUBLIC_ORIGIN) — never the request's
 * Host or X-Forwarded-*, which any client can set. Without a configured origin, no X-Forwarded-Host
 * or -Proto is sent at all rather than a guessed one.
 */
export function upstreamRequestHeaders(
	incoming: Headers,
	opts: { token: string | null; clientAddress: string; publicOrigin: URL | null }
): Headers {
	const out = new Headers();
	for (const [name, value] of incoming) if (REQUEST_ALLOW.has(name)) out.set(name, value);
	if (opts.token) out.set('authorization', `Bearer ${opts.token}`);
	out.set('x-forwarded-for', opts.clientAddress);
	if (opts.publicOrigin) {
		out.set('x-forwarded-proto', opts.publicOrigin.protocol.slice(0, -1));
		out.set('x-forwarded-host', opts.publicOrigin.host);
	}
	return out;
}

// What of an upstream response reaches the browser. The upstream is served under this app's origin,
// so any header that acts on the origin (cookies, Clear-Site-Data, Refresh, Link preloads, CSP,
// WWW-Authenticate prompts, Alt-Svc, HSTS, reporting endpoints, CORS grants) would be the
// upstream acting as this app. Only headers that describe the body itself pass.
const RESPONSE_ALLOW = new Set([
	'accept-ranges',
	'cache-control',
	'content-disposition',
	'content-encoding',
	'content-language',
	'content-length',
	'content-range',
	'content-type',
	'etag',
	'expires',
	'last-modified',
	'retry-after',
	'vary'
]);

/**
 * On every proxied response. Opened as a page, the body is an opaque origin that runs and loads
 * nothing and cannot be framed; other sites cannot embed it; and with nosniff plus the content
 * type rewrite below, a page's `<script>` or `<link rel=stylesheet>` pointing at `/api/*` is refused
 * by the browser whatever the upstream sent.
 */
export const SANDBOX_HEADERS = {
	'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
	'cross-origin-resource-policy': 'same-origin',
	'x-content-type-options': 'nosniff'
};

/** Types a browser runs as script (any JavaScript MIME type) or applies as a stylesheet. */
const ACTIVE_TYPE = /(?:java|ecma|j|live)script|^text\/css$/;

/** The content type with script and stylesheet types replaced by text/plain (parameters kept). */
export function inertContentType(value: string): string {
	const semicolon = value.indexOf(';');
	const essence = (semicolon < 0 ? value : value.slice(0, semicolon)).trim().toLowerCase();
	if (!ACTIVE_TYPE.test(essence)) return value;
	return `text/plain${semicolon < 0 ? '' : value.slice(semicolon)}`;
}

/**
 * The upstream's Location as this app's URL: a target on the upstream's origin under its base
 * path becomes the same path under the proxy's mount (so the browser follows it through the
 * proxy, with the user's token). Anything else — another origin, or outside the base — is null.
 */
export function publicLocation(
	location: string,
	from: URL,
	base: URL,
	mount: string
): string | null {
	if (!URL.canParse(location, from)) return null;
	const to = new URL(location, from);
	const prefix = `${base.pathname.replace(/\/+$/, '')}/`;
	if (to.origin !== base.origin || !to.pathname.startsWith(prefix)) return null;
	return `${mount}/${to.pathname.slice(prefix.length)}${to.search}${to.hash}`;
}

export type ResponseContext = {
	/** The upstream URL this response answers. */
	target: URL;
	/** API_UPSTREAM_URL: origin and base path. */
	upstream: URL;
	/** Where the proxy is served on this app (`/api`). */
	mount: string;
};

/** Response headers for the browser: the allowlist, the Location rule, the sandbox. */
export function clientResponseHeaders(upstream: Headers, ctx: ResponseContext): Headers {
	const out = new Headers(SANDBOX_HEADERS);
	for (const [name, value] of upstream) {
		if (RESPONSE_ALLOW.has(name))
			out.append(name, name === 'content-type' ? inertContentType(value) : value);
	}
	const location = upstream.get('location');
	const rewritten = location && publicLocation(location, ctx.target, ctx.upstream, ctx.mount);
	if (rewritten) out.set('location', rewritten);
	return out;
}

import { Readable } from 'node:stream';
import { json, type RequestEvent } from '@sveltejs/kit';
import { PROXY_METHODS, upstreamRequestHeaders, upstreamUrl } from './rules.ts';
import { clientResponseHeaders } from './response.ts';
import { UpstreamFailure, responseHeaders, upstreamRequest } from './upstream-request.ts';

export type ProxyOptions = {
	upstream: URL;
	maxBodyBytes: number;
	timeoutMs: number;
	/** Path prefixes (under the proxy) that anonymous users may call. */
	publicPaths: string[];
	/** The app's origin as the public reaches it (PUBLIC_ORIGIN), told to the upstream; null: not told. */
	publicOrigin: URL | null;
	/** The Bearer token the upstream gets (a scoped upstream its own); default: the user's JWT. */
	bearer?: (origin: string, locals: App.Locals) => Promise<string | null>;
};

const problem = (status: number, message: string) => json({ message }, { status });

/** Where the route serving the proxy sits (`/api` for `/api/[...path]`): its folder is the one place that says so. */
const mountOf = (routeId: string | null) =>
	(routeId ?? '').replace(/\/\[\.\.\.\w+\]$/, '').replace(/\/\([^/]*\)/g, '');

/**
 * Forwards `/api/<path>` to the upstream with the user's Bearer token. Bodies stream both ways;
 * nothing is buffered whole.
 */
export async function proxy(
	event: RequestEvent,
	path: string,
	opts: ProxyOptions
): Promise<Response> {
	const { request, locals, url, route } = event;
	if (!(PROXY_METHODS as readonly string[]).includes(request.method)) {
		return new Response(null, { status: 405, headers: { allow: PROXY_METHODS.join(', ') } });
	}
	const target = upstreamUrl(opts.upstream, path, url.search);
	if (!target) return problem(400, 'Invalid path');
	const isPublic = opts.publicPaths.some((p) =>
		`/${path}/`.startsWith(`/${p.replace(/^\/|\/$/g, '')}/`)
	);
	if (!locals.token && !isPublic) return problem(401, 'Sign in to use this API');

	const declared = Number(request.headers.get('content-length') ?? 0);
	if (declared > opts.maxBodyBytes) return problem(413, 'Request body too large');

	const token = opts.bearer ? await opts.bearer(opts.upstream.origin, locals) : locals.token;
	try {
		const upstream = await upstreamRequest(target, {
			method: request.method,
			headers: upstreamRequestHeaders(request.headers, {
				token,
				clientAddress: event.getClientAddress(),
				publicOrigin: opts.publicOrigin
			}),
			body: request.body,
			maxBodyBytes: opts.maxBodyBytes,
			timeoutMs: opts.timeoutMs,
			// The browser went away: the upstream request is aborted too.
			signal: request.signal
		});
		const status = upstream.statusCode ?? 502;
		const received = responseHeaders(upstream);
		const headers = clientResponseHeaders(received, {
			target,
			upstream: opts.upstream,
			// Per-user answers are kept out of every cache by the hooks' one rule (security-headers.ts).
			mount: mountOf(route.id)
		});
		// A redirect off the upstream's base would send the browser elsewhere from this origin.
		if (status >= 300 && status < 400 && received.has('location') && !headers.has('location')) {
			upstream.destroy();
			return problem(502, 'The upstream redirected outside the API');
		}
		const empty = request.method === 'HEAD' || status === 204 || status === 304;
		if (empty) upstream.resume();
		return new Response(empty ? null : (Readable.toWeb(upstream) as ReadableStream<Uint8Array>), {
			status,
			statusText: upstream.statusMessage,
			headers
		});
	} catch (e) {
		const reason = e instanceof UpstreamFailure ? e.reason : 'unreachable';
		if (reason === 'too-large') return problem(413, 'Request body too large');
		if (reason === 'timeout') return problem(504, 'The upstream did not answer in time');
		if (reason === 'client-gone') return new Response(null, { status: 499 });
		return problem(502, 'The upstream is unreachable');
	}
}

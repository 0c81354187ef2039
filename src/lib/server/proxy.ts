import { json, type RequestEvent } from '@sveltejs/kit';
import {
	PROXY_METHODS,
	clientResponseHeaders,
	upstreamRequestHeaders,
	upstreamUrl
} from './proxy-rules.ts';

export type ProxyOptions = {
	upstream: URL;
	maxBodyBytes: number;
	timeoutMs: number;
	/** Path prefixes (under the proxy) that anonymous users may call. */
	publicPaths: string[];
};

const problem = (status: number, message: string) => json({ message }, { status });

/** Counts bytes as they stream past and fails the stream once `limit` is crossed. */
function capped(body: ReadableStream<Uint8Array>, limit: number, onExceeded: () => void) {
	let seen = 0;
	return body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen > limit) {
					onExceeded();
					controller.error(new Error('request body too large'));
				} else controller.enqueue(chunk);
			}
		})
	);
}

/**
 * Forwards `/api/<path>` to the upstream with the user's Bearer token. Bodies stream both ways;
 * nothing is buffered whole.
 */
export async function proxy(
	event: RequestEvent,
	path: string,
	opts: ProxyOptions
): Promise<Response> {
	const { request, locals, url } = event;
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

	let tooLarge = false;
	let timedOut = false;
	const controller = new AbortController();
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, opts.timeoutMs);
	// The browser went away: stop the upstream work too.
	const onClientAbort = () => controller.abort();
	request.signal.addEventListener('abort', onClientAbort, { once: true });

	try {
		const upstream = await fetch(target, {
			method: request.method,
			headers: upstreamRequestHeaders(request.headers, {
				token: locals.token,
				clientAddress: event.getClientAddress(),
				origin: url
			}),
			body: request.body
				? capped(request.body, opts.maxBodyBytes, () => {
						tooLarge = true;
						controller.abort();
					})
				: undefined,
			// @ts-expect-error Node's fetch needs `duplex` to stream a request body; the DOM type lacks it.
			duplex: 'half',
			redirect: 'manual',
			signal: controller.signal
		});
		clearTimeout(timer);
		return new Response(upstream.body, {
			status: upstream.status,
			statusText: upstream.statusText,
			headers: clientResponseHeaders(upstream.headers, locals.token !== null)
		});
	} catch {
		clearTimeout(timer);
		if (tooLarge) return problem(413, 'Request body too large');
		if (timedOut) return problem(504, 'The upstream did not answer in time');
		if (request.signal.aborted) return new Response(null, { status: 499 });
		return problem(502, 'The upstream is unreachable');
	} finally {
		request.signal.removeEventListener('abort', onClientAbort);
	}
}

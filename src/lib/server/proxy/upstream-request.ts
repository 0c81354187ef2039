import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const agents = {
	http: new HttpAgent({ keepAlive: true }),
	https: new HttpsAgent({ keepAlive: true })
};

export type Failure = 'too-large' | 'timeout' | 'client-gone' | 'unreachable';
export class UpstreamFailure extends Error {
	constructor(readonly reason: Failure) {
		super(reason);
	}
}

/**
 * One request to the upstream over Node's own HTTP client, body streamed with backpressure.
 * (Node streams end to end: measured here, `fetch` kept several times more garbage alive while
 * streaming large bodies, and cost more CPU per request.) Resolves with the response head;
 * rejects with an UpstreamFailure saying why.
 */
export function upstreamRequest(
	target: URL,
	init: {
		method: string;
		headers: Headers;
		body: ReadableStream<Uint8Array> | null;
		maxBodyBytes: number;
		timeoutMs: number;
		signal: AbortSignal;
	}
): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		let failure: Failure | null = null;
		const fail = (reason: Failure) => {
			failure ??= reason;
			req.destroy(new UpstreamFailure(reason));
		};
		const https = target.protocol === 'https:';
		const req = (https ? httpsRequest : httpRequest)(target, {
			method: init.method,
			headers: Object.fromEntries(init.headers),
			agent: https ? agents.https : agents.http
		});
		// The upstream has timeoutMs to make progress: to take each chunk of the body (a slow upload
		// is not a dead upstream), then to answer once it has all of it.
		const timer = setTimeout(() => fail('timeout'), init.timeoutMs);
		let settled = false;
		const onAbort = () => fail('client-gone');
		init.signal.addEventListener('abort', onAbort, { once: true });
		const settle = () => {
			settled = true;
			clearTimeout(timer);
			init.signal.removeEventListener('abort', onAbort);
		};
		req.on('response', (res) => {
			settle();
			resolve(res);
		});
		req.on('error', () => {
			settle();
			reject(new UpstreamFailure(failure ?? 'unreachable'));
		});
		if (init.signal.aborted) return onAbort();
		if (!init.body) return void req.end();
		let seen = 0;
		const count = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				seen += chunk.length;
				if (!settled) timer.refresh();
				if (seen > init.maxBodyBytes) {
					fail('too-large');
					return callback();
				}
				callback(null, chunk);
			}
		});
		const body = Readable.fromWeb(init.body as import('node:stream/web').ReadableStream);
		// The adapter errors the body stream itself when it crosses its BODY_SIZE_LIMIT (an error
		// with status 413); any other error reading it means the client went away mid-body. Listened
		// to before the pipeline's own handler, so this reason is the one reported.
		body.once('error', (e) => fail(bodyTooLarge(e) ? 'too-large' : 'client-gone'));
		pipeline(body, count, req).catch(() => {
			// Reported through req's 'error' (or the response already arrived).
		});
	});
}

const bodyTooLarge = (e: unknown) =>
	typeof e === 'object' && e !== null && 'status' in e && e.status === 413;

/** The response head as fetch Headers; Node joins repeated headers except Set-Cookie. */
export function responseHeaders(res: IncomingMessage): Headers {
	const headers = new Headers();
	for (const [name, value] of Object.entries(res.headers)) {
		if (Array.isArray(value)) for (const v of value) headers.append(name, v);
		else if (value !== undefined) headers.set(name, value);
	}
	return headers;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { UserIdentity } from 'convex/server';
import type { TokenVerifier } from './auth.ts';
import type { Backend } from './backend.ts';
import { identityOf, readBody, sendHttpError, sendJson } from './http-util.ts';

type Deps = { backend: Backend; verifier: TokenVerifier };

/** Connection-level headers belong to this hop, not to the request the HTTP action sees. */
const HOP_BY_HOP = new Set([
	'connection',
	'keep-alive',
	'transfer-encoding',
	'content-length',
	'upgrade',
	'host',
	'te',
	'trailer',
	'proxy-connection'
]);

/**
 * The deployment's site origin: convex/http.ts routes (Convex Auth's /.well-known/* among them).
 * A bearer token is checked like on the API; a bad one is refused before the action runs.
 */
export async function handleSite(req: IncomingMessage, res: ServerResponse, deps: Deps) {
	let identity: UserIdentity | null;
	let init: RequestInit;
	try {
		identity = await identityOf(req, deps.verifier);
		const method = req.method ?? 'GET';
		const headers = new Headers();
		for (const [name, value] of Object.entries(req.headers)) {
			if (value === undefined || HOP_BY_HOP.has(name)) continue;
			for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
		}
		const body =
			method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
		init = { method, headers, body };
	} catch (error) {
		return sendHttpError(res, error);
	}
	let response: Response;
	try {
		response = await deps.backend.fetch(req.url ?? '/', init, identity);
	} catch (error) {
		// Thrown by the HTTP action itself: Convex answers 500 and logs it.
		console.error('[emulator] HTTP action failed:', error);
		const e = error instanceof Error ? error : new Error(String(error));
		return sendJson(res, 500, {
			code: 'HttpActionError',
			message: `Uncaught ${e.name}: ${e.message}`
		});
	}
	await sendResponse(res, response, req.method === 'HEAD');
}

async function sendResponse(res: ServerResponse, response: Response, head: boolean) {
	const headers: Record<string, string | string[]> = {};
	response.headers.forEach((value, name) => {
		if (name !== 'set-cookie' && !HOP_BY_HOP.has(name)) headers[name] = value;
	});
	const cookies = response.headers.getSetCookie();
	if (cookies.length > 0) headers['set-cookie'] = cookies;
	res.writeHead(response.status, response.statusText, headers);
	if (head || response.body === null) return void res.end();
	// Streamed as bytes, untouched: binary bodies and long-lived streams pass through as they are.
	try {
		await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), res);
	} catch {
		res.destroy();
	}
}

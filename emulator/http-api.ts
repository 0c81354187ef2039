import type { IncomingMessage, ServerResponse } from 'node:http';
import { convexToJson, jsonToConvex, type Value } from 'convex/values';
import type { TokenVerifier } from './auth.ts';
import type { Backend } from './backend.ts';
import type { CallResult } from './call-result.ts';
import type { WriteClock } from './clock.ts';
import type { FunctionKind } from './functions.ts';
import { HttpError, identityOf, readBody, sendHttpError, sendJson } from './http-util.ts';

type Deps = { backend: Backend; verifier: TokenVerifier; clock: WriteClock };

/** HTTP status ConvexHttpClient expects for "the function ran and threw". */
const FUNCTION_FAILED = 560;

const BY_KIND: Record<string, FunctionKind> = {
	'/api/query': 'query',
	// consistentQuery(): the emulator keeps no history, so "at ts" is simply now.
	'/api/query_at_ts': 'query',
	'/api/mutation': 'mutation',
	'/api/action': 'action'
};

/** The deployment's HTTP API: what ConvexHttpClient and plain `curl` against /api/* use. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, deps: Deps) {
	// The real API answers any origin; browsers talking to it directly need the same.
	res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
	res.setHeader('Vary', 'Origin');
	try {
		if (req.method === 'OPTIONS') return preflight(res);
		if (req.method !== 'POST')
			throw new HttpError(405, 'MethodNotAllowed', `${req.method} not allowed`);
		const { pathname } = new URL(req.url ?? '/', 'http://emulator');
		if (pathname === '/api/query_ts') {
			await readBody(req);
			return sendJson(res, 200, { ts: deps.clock.now().toString() });
		}
		const body = parseBody(await readBody(req));
		let path: string;
		let expected: FunctionKind | 'any';
		let rawArgs: unknown;
		if (Object.hasOwn(BY_KIND, pathname)) {
			[path, expected, rawArgs] = [requirePath(body.path), BY_KIND[pathname], body.args];
		} else if (pathname === '/api/function') {
			if (body.componentPath) throw new HttpError(400, 'BadRequest', 'Components are not emulated');
			[path, expected, rawArgs] = [requirePath(body.path), 'any', body.args];
		} else if (pathname.startsWith('/api/run/')) {
			[path, expected, rawArgs] = [runPath(pathname), 'any', body.args];
		} else {
			throw new HttpError(404, 'NotFound', `No such endpoint: ${pathname}`);
		}
		const args = decodeArgs(rawArgs, body.format);
		const identity = await identityOf(req, deps.verifier);
		sendResult(res, await deps.backend.call(path, expected, args, identity));
	} catch (error) {
		sendHttpError(res, error);
	}
}

function preflight(res: ServerResponse) {
	res.writeHead(204, {
		'Access-Control-Allow-Methods': 'POST, OPTIONS',
		'Access-Control-Allow-Headers': 'Content-Type, Authorization, Convex-Client',
		'Access-Control-Max-Age': '86400'
	});
	res.end();
}

type Body = { path?: unknown; args?: unknown; format?: unknown; componentPath?: unknown };

function parseBody(raw: Buffer): Body {
	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch (e) {
		throw new HttpError(400, 'BadJsonBody', `Failed to parse JSON body: ${(e as Error).message}`);
	}
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw new HttpError(400, 'BadJsonBody', 'Request body must be a JSON object');
	}
	return body;
}

function requirePath(path: unknown): string {
	if (typeof path !== 'string' || path === '') {
		throw new HttpError(400, 'BadJsonBody', 'Missing "path": the function name, like "notes:list"');
	}
	return path;
}

/** /api/run/notes/list → notes:list; a nested module keeps its slashes: a/b/fn → a/b:fn. */
function runPath(pathname: string): string {
	const parts = pathname
		.slice('/api/run/'.length)
		.split('/')
		.filter(Boolean)
		.map(decodeURIComponent);
	if (parts.length < 2)
		throw new HttpError(404, 'NotFound', 'Expected /api/run/<module>/<function>');
	return `${parts.slice(0, -1).join('/')}:${parts.at(-1)}`;
}

/** Args come as `[obj]` (the clients) or as a bare object (the documented curl form). */
function decodeArgs(raw: unknown, format: unknown): Record<string, Value> {
	if (format !== undefined && format !== 'json' && format !== 'convex_encoded_json') {
		throw new HttpError(400, 'BadRequest', `Unsupported format: ${JSON.stringify(format)}`);
	}
	let args = raw ?? {};
	if (Array.isArray(args)) {
		if (args.length > 1)
			throw new HttpError(400, 'BadRequest', 'Expected at most one argument object');
		args = args[0] ?? {};
	}
	if (typeof args !== 'object' || args === null || Array.isArray(args)) {
		throw new HttpError(400, 'BadRequest', 'Function arguments must be an object');
	}
	try {
		return jsonToConvex(args as Record<string, never>) as Record<string, Value>;
	} catch (e) {
		throw new HttpError(400, 'BadRequest', `Invalid arguments: ${(e as Error).message}`);
	}
}

function sendResult(res: ServerResponse, result: CallResult) {
	if (result.status === 'success') {
		sendJson(res, 200, { status: 'success', value: convexToJson(result.value), logLines: [] });
	} else {
		sendJson(res, FUNCTION_FAILED, { ...result, logLines: [] });
	}
}

import type { RequestEvent } from '@sveltejs/kit';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { proxy, type ProxyOptions } from './forward.ts';

/** What the upstream saw of one request. `closed` settles with whether it was cut off unanswered. */
const record = (req: IncomingMessage, res: ServerResponse) => {
	const closed = Promise.withResolvers<boolean>();
	res.on('close', () => closed.resolve(!res.writableEnded));
	const { method, url, headers } = req;
	return { method, url, headers, chunks: [] as Buffer[], complete: false, closed: closed.promise };
};
type Seen = ReturnType<typeof record>;

let seen: Seen[];
let arrival: PromiseWithResolvers<void>;
let respond: (res: ServerResponse) => void;
const server = createServer((req, res) => {
	const seenNow = record(req, res);
	seen.push(seenNow);
	arrival.resolve();
	req.on('data', (chunk: Buffer) => seenNow.chunks.push(chunk));
	req.on('end', () => ((seenNow.complete = true), respond(res)));
});

let opts: ProxyOptions;
beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const upstream = new URL(`http://127.0.0.1:${port}/v1/`);
	opts = {
		upstream,
		maxBodyBytes: 1024 * 1024,
		timeoutMs: 2000,
		publicPaths: ['/public/'],
		publicOrigin: null
	};
});
afterAll(() => (server.closeAllConnections(), server.close()));
beforeEach(() => {
	seen = [];
	arrival = Promise.withResolvers();
	respond = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});

const headers = { cookie: 'session=secret', authorization: 'Basic client', accept: 'text/csv' };
const event = (request: Request, token: string | null) =>
	({
		request,
		locals: { token, user: token ? { id: 'u1' } : null },
		url: new URL(request.url),
		route: { id: '/api/[...path]' },
		getClientAddress: () => '127.0.0.1'
	}) as unknown as RequestEvent;
/** Calls the proxy for `/api/<target>` the way the `[...path]` route does. */
const call = (target: string, init: RequestInit = {}, token: string | null = 'jwt', o = opts) => {
	const request = new Request(`https://app.example.com/api/${target}`, { headers, ...init });
	return proxy(event(request, token), target.split('?')[0], o);
};
const within = <T>(promise: Promise<T>, ms = 1000) =>
	Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`not within ${ms} ms`)))]);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const bytes = (seen: Seen) => Buffer.concat(seen.chunks);

describe('proxy', () => {
	it('forwards a GET with the Bearer token and without the browser cookie or Authorization', async () => {
		const response = await call('notes/export?format=csv');
		expect([response.status, await response.text()]).toEqual([200, 'ok']);
		expect(seen.map((s) => s.url)).toEqual(['/v1/notes/export?format=csv']);
		const { authorization, cookie, accept } = seen[0].headers;
		expect([authorization, cookie, accept]).toEqual(['Bearer jwt', undefined, 'text/csv']);
	});

	it('gives a scoped upstream the token chosen for its origin instead of the Convex JWT', async () => {
		const bearer = async (origin: string, locals: App.Locals) => `for ${origin} of ${locals.token}`;
		expect((await call('notes', {}, 'jwt', { ...opts, bearer })).status).toBe(200);
		expect(seen[0].headers.authorization).toBe(`Bearer for ${opts.upstream.origin} of jwt`);
	});

	it('answers 401 to anonymous users without contacting the upstream', async () => {
		expect((await call('notes', {}, null)).status).toBe(401);
		expect((await call('publicity', {}, null)).status).toBe(401);
		expect(seen).toHaveLength(0);
	});

	it('lets anonymous users reach the public paths, without any Authorization', async () => {
		expect((await call('public/info', {}, null)).status).toBe(200);
		expect(seen[0].headers.authorization).toBeUndefined();
	});

	it.each(['../secret', 'a//b', '%2e%2e/x'])('answers 400 to %j unforwarded', async (path) => {
		expect((await call(path)).status).toBe(400);
		expect(seen).toHaveLength(0);
	});

	it.each(['OPTIONS', 'TRACE'])('answers 405 with an Allow header to %s', async (method) => {
		const request = new Request('https://app.example.com/api/notes');
		Object.defineProperty(request, 'method', { value: method });
		const response = await proxy(event(request, 'jwt'), 'notes', opts);
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE');
		expect(seen).toHaveLength(0);
	});

	it('streams a 5 MB POST body to the upstream intact', async () => {
		const body = randomBytes(5 * 1024 * 1024);
		const big = { ...opts, maxBodyBytes: 8 * 1024 * 1024 };
		expect((await call('upload', { method: 'POST', body }, 'jwt', big)).status).toBe(200);
		const got = bytes(seen[0]);
		expect([seen[0].method, got.length, sha(got)]).toEqual(['POST', body.length, sha(body)]);
	});

	it('answers 413 to a declared Content-Length over the limit, unforwarded', async () => {
		const init = { method: 'POST', headers: { 'content-length': '2000000' }, body: 'x' };
		expect((await call('upload', init)).status).toBe(413);
		expect(seen).toHaveLength(0);
	});

	it('answers 413 once a streamed body crosses the limit, and the upstream never gets all of it', async () => {
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				if (sent++ > 0) await arrival.promise; // the upstream has started receiving
				if (sent > 32) controller.close();
				else controller.enqueue(new Uint8Array(64 * 1024));
			}
		});
		const response = await call('upload', { method: 'POST', body, duplex: 'half' } as RequestInit);
		expect(response.status).toBe(413);
		expect(seen).toHaveLength(1);
		expect([await within(seen[0].closed), seen[0].complete]).toEqual([true, false]);
		expect(bytes(seen[0]).length).toBeLessThanOrEqual(opts.maxBodyBytes);
	});

	it('answers 504 when the upstream does not answer within the timeout', async () => {
		respond = () => {};
		const started = Date.now();
		expect((await call('slow', {}, 'jwt', { ...opts, timeoutMs: 200 })).status).toBe(504);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(await within(seen[0].closed)).toBe(true);
	});

	it('gives a slow upload the timeout per chunk, not for the whole body', async () => {
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				// Eight chunks 100 ms apart: the upload takes twice the 400 ms timeout.
				if (sent++ > 0) await sleep(100);
				if (sent > 8) controller.close();
				else controller.enqueue(new Uint8Array(1024));
			}
		});
		const init = { method: 'POST', body, duplex: 'half' } as RequestInit;
		const response = await call('upload', init, 'jwt', { ...opts, timeoutMs: 400 });
		expect([response.status, bytes(seen[0]).length]).toEqual([200, 8 * 1024]);
	});

	it('answers 502 when the upstream is unreachable', async () => {
		const gone = createServer().listen(0, '127.0.0.1');
		await once(gone, 'listening');
		const upstream = new URL(`http://127.0.0.1:${(gone.address() as AddressInfo).port}/`);
		await new Promise((resolve) => gone.close(resolve));
		expect((await call('notes', {}, 'jwt', { ...opts, upstream })).status).toBe(502);
	});

	it('sandboxes the response and passes no header that acts on this origin', async () => {
		const acting = [
			['clear-site-data', '"cookies", "storage"'],
			['refresh', '0;url=https://evil.example/'],
			['link', '</x.js>; rel=preload; as=script'],
			['content-security-policy', 'default-src *'],
			['www-authenticate', 'Basic realm="again"']
		];
		respond = (res) =>
			res.writeHead(200, [...acting.flat(), 'content-type', 'text/html']).end('<script>1</script>');
		const response = await call('page');
		expect(response.headers.get('content-security-policy')).toBe(
			"default-src 'none'; sandbox; frame-ancestors 'none'"
		);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		for (const [name] of acting.filter(([name]) => name !== 'content-security-policy'))
			expect(response.headers.has(name), name).toBe(false);
	});

	it('drops upstream cookies and CORS grants', async () => {
		const cors = ['access-control-allow-origin', '*', 'access-control-allow-credentials', 'true'];
		const cookies = ['set-cookie', 'a=1; Path=/', 'set-cookie', 'b=2; Path=/'];
		const other = ['etag', '"v1"', 'cache-control', 'public, max-age=3600'];
		respond = (res) => res.writeHead(201, [...cors, ...cookies, ...other]).end('{}');
		const response = await call('notes', { method: 'POST', body: '{}' });
		expect(response.status).toBe(201);
		const names = [...response.headers.keys()];
		for (const name of ['set-cookie', cors[0], cors[2]]) expect(names).not.toContain(name);
		expect(response.headers.get('etag')).toBe('"v1"');
		// Whether a cache may keep it is the hooks' one rule (signed in: never), not the proxy's.
		expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
	});

	it('hands a redirect within the upstream base to the browser as the same path under /api', async () => {
		respond = (res) => res.writeHead(302, { location: '/v1/elsewhere?x=1' }).end();
		const response = await call('notes');
		expect([response.status, response.headers.get('location')]).toEqual([
			302,
			'/api/elsewhere?x=1'
		]);
		expect(seen).toHaveLength(1);
	});

	it.each(['https://evil.example/', '/admin'])(
		'answers 502 instead of a redirect to %j, off the upstream base',
		async (location) => {
			respond = (res) => res.writeHead(302, { location }).end('moved');
			const response = await call('notes');
			expect(response.status).toBe(502);
			expect(response.headers.has('location')).toBe(false);
			expect(await response.json()).toEqual({ message: 'The upstream redirected outside the API' });
		}
	);

	it('answers 413 when the adapter cuts the body off at its own size limit', async () => {
		// What adapter-node's request body does past BODY_SIZE_LIMIT: the stream errors with status 413.
		const body = new ReadableStream<Uint8Array>({
			async pull(controller) {
				await arrival.promise; // the upstream has started receiving
				controller.error(Object.assign(new Error('Payload Too Large'), { status: 413 }));
			},
			start(controller) {
				controller.enqueue(new Uint8Array(1024));
			}
		});
		const response = await call('upload', { method: 'POST', body, duplex: 'half' } as RequestInit);
		expect([response.status, await response.json()]).toEqual([
			413,
			{ message: 'Request body too large' }
		]);
		expect(await within(seen[0].closed)).toBe(true);
		expect(seen[0].complete).toBe(false);
	});

	it('answers 499 when the request body breaks off for another reason', async () => {
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.error(new Error('aborted'));
			}
		});
		const response = await call('upload', { method: 'POST', body, duplex: 'half' } as RequestInit);
		expect(response.status).toBe(499);
	});

	it('streams the response: the first chunk is readable before the upstream finishes', async () => {
		const finish = Promise.withResolvers<void>();
		respond = (res) => {
			res.writeHead(200).write('first;');
			void finish.promise.then(() => res.end('second'));
		};
		const response = await call('stream');
		const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
		expect((await within(reader.read())).value).toBe('first;');
		finish.resolve();
		expect((await reader.read()).value).toBe('second');
	});

	it('stops the upstream request when the client goes away before the answer', async () => {
		respond = () => {};
		const controller = new AbortController();
		const pending = call('slow', { signal: controller.signal });
		await within(arrival.promise);
		controller.abort();
		expect(await within(seen[0].closed)).toBe(true);
		expect((await pending).status).toBe(499);
	});

	it('stops the upstream response when the client stops reading it', async () => {
		respond = (res) => res.writeHead(200).write('first;');
		const reader = (await call('stream')).body!.getReader();
		await reader.read();
		await reader.cancel();
		expect(await within(seen[0].closed)).toBe(true);
	});
});

// The /api proxy's hostile-input table, end to end against the built app: paths, request targets,
// Host headers and smuggled headers never steer it off its upstream or leak client credentials.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { port } from '../support/ports.ts';
import { HOSTILE, startUpstream } from '../support/upstream.ts';
import { signUp } from './accounts.ts';
import { APP, FORWARDED, JWT, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const UPSTREAM_PORT = port('SECURITY_UPSTREAM_PORT');
/** Where a steered request would land: a second recording server nothing should ever reach. */
const DECOY_PORT = UPSTREAM_PORT - 1;
const DECOY = `127.0.0.1:${DECOY_PORT}`;
/** adapter-node's own body limit on this stack, below the proxy's API_MAX_BODY_BYTES. */
const BODY_SIZE_LIMIT = 64 * 1024;

let stack: Stack;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
let decoy: Awaited<ReturnType<typeof startUpstream>>;
let jar: Jar;

/**
 * A request written byte for byte on a socket (with `Connection: close`); resolves with the raw
 * response once the server closes. The socket stays open for writing: a half-close would read as
 * the browser going away, which the proxy answers by aborting.
 */
function rawHttp(lines: string[], body = ''): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(stack.port, '127.0.0.1', () =>
			socket.write(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n${body}`)
		);
		socket.setTimeout(5_000, () => socket.destroy(new Error('no answer')));
		let text = '';
		socket.on('data', (c) => (text += c));
		socket.on('end', () => resolve(text));
		socket.on('error', reject);
	});
}
/** A signed-in, same-origin JSON POST to /api/things, with the framing headers given. */
function rawApiPost(framing: string[], body: string): Promise<string> {
	return rawHttp(
		[
			'POST /api/things HTTP/1.1',
			'Host: app.example.com',
			...Object.entries(FORWARDED).map(([k, v]) => `${k}: ${v}`),
			`Origin: ${APP}`,
			`Cookie: ${jar.header()}`,
			'Content-Type: application/json',
			...framing
		],
		body
	);
}
const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);

beforeAll(async () => {
	[upstream, decoy] = await Promise.all([startUpstream(UPSTREAM_PORT), startUpstream(DECOY_PORT)]);
	stack = await startStack(7, {
		API_UPSTREAM_URL: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
		API_TIMEOUT_MS: '3000',
		API_PUBLIC_PATHS: 'public',
		API_MAX_BODY_BYTES: String(1024 * 1024),
		BODY_SIZE_LIMIT: String(BODY_SIZE_LIMIT),
		PUBLIC_ORIGIN: APP
	});
	jar = (await signUp(stack, 'proxy')).jar;
});
afterAll(async () => {
	await stack?.stop();
	await Promise.all([upstream?.close(), decoy?.close()]);
});
beforeEach(() => {
	upstream.seen.length = 0;
	decoy.seen.length = 0;
});

test('forwards a signed-in call to the configured upstream with the Bearer token only', async () => {
	const res = await send(stack, {
		path: '/api/things/42?x=1',
		headers: { cookie: jar.header(), accept: 'application/json' }
	});
	expect(res.status).toBe(200);
	expect(upstream.seen.map((s) => s.url)).toEqual(['/v1/things/42?x=1']);
	expect(upstream.seen[0].headers.authorization).toBe(`Bearer ${jar.get(JWT)}`);
	expect(upstream.seen[0].headers.cookie).toBeUndefined();
	expect(res.headers['set-cookie']).toBeUndefined(); // the upstream's `planted=1` is dropped
	expect(res.headers['access-control-allow-origin']).toBeUndefined();
});

describe('hostile paths reach no upstream at all', () => {
	for (const path of [
		'/api/%2e%2e/x',
		'/api/a/%2e%2e/%2e%2e/x',
		'/api/%252e%252e/x',
		'/api/%25252e%25252e/x',
		'/api/..%2fx',
		'/api/a//x',
		'/api/%2F%2Fevil.com/x',
		`/api/%2F%2F${DECOY}/x`,
		'/api/a%5Cb',
		`/api/%5C%5C${DECOY}/x`,
		'/api/https:%2F%2Fevil.com',
		`/api/http:%2F%2F${DECOY}%2Fx`,
		'/api/javascript:alert(1)',
		'/api/a%00b',
		'/api/a%0d%0aHost:%20evil.com'
	]) {
		test(`refuses ${path}`, async () => {
			const res = await send(stack, { path, headers: { cookie: jar.header() } });
			expect([400, 404]).toContain(res.status);
			expect(upstream.seen).toEqual([]);
			expect(decoy.seen).toEqual([]);
		});
	}
});

test('an encoded CR LF or NUL in the query stays encoded: no header injection upstream', async () => {
	for (const query of ['?a=%00', '?a=%0d%0aX-Injected:%201']) {
		const res = await send(stack, { path: `/api/x${query}`, headers: { cookie: jar.header() } });
		expect(res.status).toBe(200);
	}
	expect(upstream.seen.map((s) => s.url)).toEqual(['/v1/x?a=%00', '/v1/x?a=%0d%0aX-Injected:%201']);
	for (const seen of upstream.seen) expect(seen.headers['x-injected']).toBeUndefined();
});

describe('request targets and Host headers do not choose the upstream', () => {
	for (const target of ['http://evil.com/api/x', `http://${DECOY}/api/x`]) {
		test(`an absolute-form request target (GET ${target}) never reaches another host`, async () => {
			const raw = await rawHttp([
				`GET ${target} HTTP/1.1`,
				`Host: ${new URL(target).host}`,
				'X-Forwarded-Proto: https',
				'X-Forwarded-Host: app.example.com',
				`Cookie: ${jar.header()}`
			]);
			expect(statusOf(raw)).toBeLessThan(500);
			expect(decoy.seen).toEqual([]);
			// If it is served at all, it is served from the configured upstream, under its base path.
			for (const seen of upstream.seen) expect(seen.url.startsWith('/v1/')).toBe(true);
		});
	}

	test('a crafted Host header changes neither the upstream nor what the upstream is told', async () => {
		const res = await send(stack, {
			path: '/api/things',
			headers: { host: DECOY, cookie: jar.header(), accept: 'application/json' }
		});
		expect(res.status).toBe(200);
		expect(decoy.seen).toEqual([]);
		expect(upstream.seen.map((s) => s.url)).toEqual(['/v1/things']);
		expect(upstream.seen[0].headers['x-forwarded-host']).toBe('app.example.com');
	});

	test('a forged Host, X-Forwarded-Host or -Proto never reaches the upstream: it is told PUBLIC_ORIGIN', async () => {
		const forgeries = [{ 'x-forwarded-host': 'evil.example' }, { host: 'evil.example' }];
		for (const forged of forgeries) {
			const res = await send(stack, {
				path: '/api/things',
				headers: { ...forged, cookie: jar.header() }
			});
			expect(res.status).toBe(200);
		}
		// Anonymous, on a public path: over plain http the session cookies would not count.
		const res = await send(stack, {
			path: '/api/public/ping',
			headers: { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example' }
		});
		expect(res.status).toBe(200);
		expect(upstream.seen).toHaveLength(3);
		for (const { headers } of upstream.seen) {
			expect(headers['x-forwarded-host']).toBe('app.example.com');
			expect(headers['x-forwarded-proto']).toBe('https');
			expect(headers.host).toBe(`127.0.0.1:${UPSTREAM_PORT}`);
		}
	});

	test('with Host: evil.com, a POST claiming Origin https://evil.com is still cross-site', async () => {
		for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
			const res = await send(stack, {
				method: 'POST',
				path: '/api/things',
				headers: {
					host: 'evil.com',
					origin: 'https://evil.com',
					cookie: jar.header(),
					'content-type': type
				},
				body: '{}'
			});
			expect(res.status, type).toBe(403);
		}
		expect(upstream.seen).toEqual([]);
	});
});

describe('smuggled headers', () => {
	test('client Cookie, Authorization, X-Forwarded-* and hop-by-hop headers never reach the upstream', async () => {
		const res = await send(stack, {
			path: '/api/things',
			headers: {
				cookie: `${jar.header()}; other=1`,
				authorization: 'Bearer forged',
				'proxy-authorization': 'Basic Zm9vOmJhcg==',
				'x-forwarded-for': '6.6.6.6',
				forwarded: 'for=6.6.6.6;host=evil.com',
				'x-real-ip': '6.6.6.6',
				connection: 'keep-alive, x-secret',
				'x-secret': 'dropped by its connection token',
				te: 'trailers',
				upgrade: 'websocket',
				accept: 'application/json'
			}
		});
		expect(res.status).toBe(200);
		const seen = upstream.seen[0].headers;
		expect(seen.authorization).toBe(`Bearer ${jar.get(JWT)}`);
		for (const name of [
			'cookie',
			'proxy-authorization',
			'forwarded',
			'x-real-ip',
			'x-secret',
			'te',
			'upgrade'
		])
			expect(seen[name], name).toBeUndefined();
		expect(seen['x-forwarded-for']).toBe('127.0.0.1');
		expect(seen['x-forwarded-host']).toBe('app.example.com');
	});

	test('a client Authorization header is not a way in: anonymous stays 401 without a backend call', async () => {
		const res = await send(stack, {
			path: '/api/things',
			headers: { authorization: `Bearer ${jar.get(JWT)}`, accept: 'application/json' }
		});
		expect(res.status).toBe(401);
		expect(upstream.seen).toEqual([]);
	});

	test('Content-Length with Transfer-Encoding (request smuggling) is refused, smuggling nothing', async () => {
		const smuggled = `GET /api/smuggled HTTP/1.1\r\nHost: app.example.com\r\nCookie: ${jar.header()}\r\n\r\n`;
		const raw = await rawApiPost(
			['Content-Length: 4', 'Transfer-Encoding: chunked'],
			`0\r\n\r\n${smuggled}`
		);
		expect(statusOf(raw)).toBe(400);
		expect(upstream.seen.map((s) => s.url)).not.toContain('/v1/smuggled');
		expect(upstream.seen).toEqual([]);
	});

	test('a chunked body is forwarded as a body, with fresh framing', async () => {
		const raw = await rawApiPost(['Transfer-Encoding: chunked'], '7\r\n{"a":1}\r\n0\r\n\r\n');
		expect(statusOf(raw)).toBe(200);
		expect(upstream.seen.map((s) => [s.url, s.bytes])).toEqual([['/v1/things', 7]]);
	});

	test('methods the proxy does not forward (OPTIONS, TRACE) are refused without reaching the upstream', async () => {
		for (const method of ['OPTIONS', 'TRACE']) {
			const res = await send(stack, {
				method,
				path: '/api/things',
				headers: { cookie: jar.header() }
			});
			// 405 from the proxy; TRACE does not even become a fetch Request (400 from adapter-node).
			expect([400, 405], method).toContain(res.status);
		}
		expect(upstream.seen).toEqual([]);
	});
});

describe("a hostile upstream cannot act on the app's origin", () => {
	test('headers that act on the origin are dropped, and the response is sandboxed', async () => {
		const res = await send(stack, { path: '/api/hostile', headers: { cookie: jar.header() } });
		expect(res.status).toBe(200);
		const replaced = ['content-type', 'content-security-policy'];
		for (const name of Object.keys(HOSTILE).filter((n) => !replaced.includes(n)))
			expect(res.headers[name], name).toBeUndefined();
		expect(res.headers['content-security-policy']).toBe(
			"default-src 'none'; sandbox; frame-ancestors 'none'"
		);
		expect(res.headers['x-content-type-options']).toBe('nosniff');
	});

	test('upstream JavaScript is served as text/plain', async () => {
		const res = await send(stack, { path: '/api/script', headers: { cookie: jar.header() } });
		expect([res.status, res.headers['content-type']]).toEqual([200, 'text/plain']);
	});

	test('a redirect to another origin is not handed to the browser', async () => {
		const res = await send(stack, {
			path: `/api/redirect?to=${encodeURIComponent('https://evil.example/phish')}`,
			headers: { cookie: jar.header() }
		});
		expect(res.status).toBe(502);
		expect(res.headers.location).toBeUndefined();
		expect(JSON.parse(res.text)).toEqual({ message: 'The upstream redirected outside the API' });
	});

	test('a redirect within the upstream base comes back as the same path under /api', async () => {
		const res = await send(stack, {
			path: `/api/redirect?to=${encodeURIComponent('/v1/things/2')}`,
			headers: { cookie: jar.header() }
		});
		expect([res.status, res.headers.location]).toEqual([302, '/api/things/2']);
	});
});

describe("a body over adapter-node's BODY_SIZE_LIMIT", () => {
	const big = Buffer.alloc(BODY_SIZE_LIMIT * 2, 'a');

	test('is refused with 413 when its Content-Length says so', async () => {
		const res = await send(stack, {
			method: 'POST',
			path: '/api/upload',
			headers: { cookie: jar.header(), origin: APP, 'content-type': 'application/octet-stream' },
			body: big
		});
		expect([res.status, JSON.parse(res.text)]).toEqual([
			413,
			{ message: 'Request body too large' }
		]);
		expect(upstream.seen.filter((s) => !s.closedEarly)).toEqual([]);
	});

	test('is cut off with 413 when it is chunked', async () => {
		const chunks = [big.subarray(0, BODY_SIZE_LIMIT), big.subarray(BODY_SIZE_LIMIT)];
		const raw = await rawApiPost(
			['Transfer-Encoding: chunked'],
			chunks.map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join('') + '0\r\n\r\n'
		);
		expect(statusOf(raw)).toBe(413);
		expect(raw).toContain('Request body too large');
		for (const seen of upstream.seen) expect(seen.bytes).toBeLessThanOrEqual(BODY_SIZE_LIMIT);
	});
});

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
	FALLBACK_CSP,
	NO_STORE,
	SECURITY_HEADERS,
	secureNodeResponse
} from './security-headers.ts';

/** One response written by `write` on a real Node server, as a client receives it. */
async function served(write: (res: ServerResponse) => void): Promise<Headers> {
	const server = createServer((_req, res) => {
		secureNodeResponse(res);
		write(res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const response = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
		await response.arrayBuffer();
		return response.headers;
	} finally {
		server.close();
	}
}

describe('secureNodeResponse', () => {
	it('adds the headers to a static file written with writeHead(status, headers)', async () => {
		const headers = await served((res) =>
			res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'max-age=60' }).end('x')
		);
		for (const [name, value] of Object.entries(SECURITY_HEADERS))
			expect(headers.get(name)).toBe(value);
		expect(headers.get('content-security-policy')).toBe(FALLBACK_CSP);
		expect(headers.get('cache-control')).toBe('max-age=60');
	});

	it('adds them when the head is written implicitly by end()', async () => {
		const headers = await served((res) => {
			res.statusCode = 404;
			res.end();
		});
		expect(headers.get('x-frame-options')).toBe('DENY');
		expect(headers.get('content-security-policy')).toBe(FALLBACK_CSP);
	});

	it("keeps a page's own CSP, passed to writeHead or set before", async () => {
		const passed = await served((res) =>
			res.writeHead(200, { 'content-security-policy': "script-src 'nonce-a'" }).end()
		);
		expect(passed.get('content-security-policy')).toBe("script-src 'nonce-a'");
		const set = await served((res) => {
			res.setHeader('content-security-policy', "script-src 'nonce-b'");
			res.writeHead(200, 'OK').end();
		});
		expect(set.get('content-security-policy')).toBe("script-src 'nonce-b'");
	});

	it('never lets a response that sets a cookie be stored', async () => {
		const headers = await served((res) => {
			res.setHeader('set-cookie', ['a=1; Path=/']);
			res.setHeader('cache-control', 'public, max-age=600');
			res.writeHead(303, { location: '/login' }).end();
		});
		expect(headers.get('cache-control')).toBe(NO_STORE);
		const passed = await served((res) =>
			res
				.writeHead(200, { 'set-cookie': 'a=1; Path=/', 'cache-control': 'public, max-age=600' })
				.end()
		);
		expect(passed.get('cache-control')).toBe(NO_STORE);
	});
});

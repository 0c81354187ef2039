import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answering, answers } from './answering.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A server on a free port answering `code`, the number of requests so far passed to `respond`. */
async function serve(respond: (n: number) => number, stream = false) {
	let n = 0;
	server = createServer((_, res) => {
		res.writeHead(respond(++n));
		if (stream) res.write('data: open\n\n');
		else res.end();
	});
	await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('answers', () => {
	it('counts any answer below 500 as up, 404 included, and a 500 or no server as down', async () => {
		const url = await serve((n) => (n === 1 ? 404 : 500));
		expect(await answers(url)).toBe(true);
		expect(await answers(url)).toBe(false);
		server!.close();
		server = undefined;
		expect(await answers(url)).toBe(false);
	});

	it('returns on the status line of an event stream, and closes it', async () => {
		const url = await serve(() => 200, true);
		expect(await answers(url)).toBe(true);
		await expect.poll(() => new Promise((r) => server!.getConnections((_, n) => r(n)))).toBe(0);
	});
});

describe('answering', () => {
	it('waits through 5xx answers until the server answers below 500', async () => {
		const url = await serve((n) => (n < 3 ? 503 : 200));
		await expect(answering(url)).resolves.toBeUndefined();
	});

	it('gives up as soon as the process that should answer has exited', async () => {
		const started = Date.now();
		await expect(answering('http://127.0.0.1:9/', { exited: () => true })).rejects.toThrow(
			/process exited/
		);
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	it('gives up after its timeout', async () => {
		const url = await serve(() => 500);
		await expect(answering(url, { timeoutMs: 300 })).rejects.toThrow(/did not answer/);
	});
});

// A REST backend for proxy tests and benchmarks: records what reaches it, and has endpoints that are
// slow, big, or never answer.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Seen = {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	bytes: number;
	closedEarly: boolean;
};

export async function startUpstream(port = 0) {
	const seen: Seen[] = [];
	const server: Server = createServer((req, res) => {
		const entry: Seen = {
			method: req.method ?? '',
			url: req.url ?? '',
			headers: req.headers,
			bytes: 0,
			closedEarly: false
		};
		seen.push(entry);
		if (seen.length > 1000) seen.shift(); // a benchmark sends millions
		req.on('data', (chunk: Buffer) => (entry.bytes += chunk.length));
		res.on('close', () => (entry.closedEarly = !res.writableFinished));
		const path = (req.url ?? '').split('?')[0];
		if (path.endsWith('/hang')) return; // never answers: for timeouts and client aborts
		req.on('end', () => {
			res.setHeader('content-type', 'application/json');
			res.setHeader('set-cookie', 'planted=1; Path=/');
			res.setHeader('access-control-allow-origin', '*');
			res.end(
				JSON.stringify({
					method: entry.method,
					url: entry.url,
					bytes: entry.bytes,
					auth: req.headers.authorization ?? null
				})
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		seen,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

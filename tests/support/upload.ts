// Streams `mb` MiB to a server with backpressure while sampling a process's resident memory:
// the memory-bound check shared by the proxy's browser suite and its benchmark.
import { request } from 'node:http';
import { rssBytes } from './process.ts';

export type UploadResult = { status: number; body: string; rssGrowthMb: number };

export function uploadMeasured(
	url: URL,
	headers: Record<string, string>,
	mb: number,
	pid: number
): Promise<UploadResult> {
	const before = rssBytes(pid);
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 25);
	const chunk = Buffer.alloc(1024 * 1024, 7);
	return new Promise((resolve, reject) => {
		const req = request(
			{ host: url.hostname, port: url.port, method: 'POST', path: url.pathname, headers },
			(res) => {
				let body = '';
				res.on('data', (c) => (body += c));
				res.on('end', () => {
					clearInterval(sampler);
					resolve({
						status: res.statusCode ?? 0,
						body,
						rssGrowthMb: (peak - before) / 1024 / 1024
					});
				});
			}
		);
		req.on('error', (e) => {
			clearInterval(sampler);
			reject(e);
		});
		let sent = 0;
		const pump = () => {
			while (sent < mb) {
				sent++;
				if (!req.write(chunk)) return void req.once('drain', pump);
			}
			req.end();
		};
		pump();
	});
}

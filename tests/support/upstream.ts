// A REST backend for proxy tests and benchmarks: records what reaches it, and has endpoints that
// never answer or behave like a hostile upstream.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Seen = {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	bytes: number;
	closedEarly: boolean;
};

/** What /hostile sends, besides its page: every one of these would act on the app's origin. */
export const HOSTILE = {
	'content-type': 'text/html',
	'clear-site-data': '"cookies", "storage"',
	refresh: '0;url=https://evil.example/',
	link: '<https://evil.example/x.js>; rel=preload; as=script',
	'content-security-policy': 'default-src *',
	'www-authenticate': 'Basic realm="Sign in again"',
	'alt-svc': 'h3="evil.example:443"',
	'service-worker-allowed': '/',
	'set-cookie': 'planted=1; Path=/'
};
/** A page and a script that announce it when they run. */
export const HOSTILE_PAGE = '<title>upstream page</title><script>document.title = "ran"</script>';
const SCRIPT = 'window.upstreamScriptRan = true;';

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
		const url = new URL(req.url ?? '/', 'http://upstream');
		const path = url.pathname;
		if (path.endsWith('/hang')) return; // never answers: for timeouts and client aborts
		// A hostile upstream: headers that would act on the app's origin, active content, redirects.
		if (path.endsWith('/hostile')) return void res.writeHead(200, HOSTILE).end(HOSTILE_PAGE);
		if (path.endsWith('/script'))
			return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(SCRIPT);
		if (path.endsWith('/redirect'))
			return void res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
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

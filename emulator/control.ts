import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from './emulator.ts';
import type { OidcProvider } from './oidc/provider.ts';

/**
 * A side door for tests in other processes (Playwright, the security suite) to simulate a backend
 * outage: POST /pause, POST /resume (204), GET /health, GET /stats; with the offline OpenID provider,
 * POST /oidc/pause and /oidc/resume take it down and up. Loopback only, never the emulator's ports.
 */
export function startControl(
	emulator: Emulator,
	port: number,
	oidc: OidcProvider | null = null
): Promise<Server> {
	let paused = false;
	const server = createServer((req, res) => {
		const route = `${req.method} ${new URL(req.url ?? '/', 'http://control').pathname}`;
		const act = async () => {
			if (route === 'POST /pause') {
				await emulator.pause();
				paused = true;
			} else if (route === 'POST /resume') {
				await emulator.resume();
				paused = false;
			} else if (oidc !== null && route === 'POST /oidc/pause') {
				await oidc.pause();
			} else if (oidc !== null && route === 'POST /oidc/resume') {
				await oidc.resume();
			} else if (route === 'GET /stats') {
				const body = JSON.stringify(emulator.stats());
				return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
			} else if (route === 'GET /health') {
				const body = JSON.stringify({
					status: paused ? 'paused' : 'running',
					url: emulator.url,
					siteUrl: emulator.siteUrl
				});
				return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
			} else {
				return void res.writeHead(404).end();
			}
			res.writeHead(204).end();
		};
		act().catch((error: unknown) => {
			console.error('[emulator] control request failed:', error);
			if (!res.headersSent) res.writeHead(500);
			res.end();
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(server);
		});
	});
}

export function controlPort(server: Server): number {
	return (server.address() as AddressInfo).port;
}

// The emulator's two servers (the deployment URL: HTTP API and WebSocket sync; the site URL: HTTP
// actions), created before startup finishes: until `deps()` has a value they answer 503.
import { createServer, type ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import { handleApi } from './http-api.ts';
import { sendJson } from './http-util.ts';
import { closeServer } from './net.ts';
import { handleSite } from './site.ts';
import { SyncSession, type SyncDeps } from './sync.ts';

const SYNC_PATH = /^\/api\/[^/]+\/sync$/;

export function createListeners(deps: () => SyncDeps | undefined) {
	const serve = (res: ServerResponse, handle: (deps: SyncDeps) => Promise<void>) => {
		const ready = deps();
		// Only reachable before startup finishes, on a fixed port someone guessed.
		if (ready === undefined) {
			return sendJson(res, 503, { code: 'Unavailable', message: 'The emulator is starting' });
		}
		handle(ready).catch((error: unknown) => console.error('[emulator]', error));
	};
	const api = createServer((req, res) => serve(res, (d) => handleApi(req, res, d)));
	const site = createServer((req, res) => serve(res, (d) => handleSite(req, res, d)));
	const wss = new WebSocketServer({ noServer: true });
	const sessions = new Set<SyncSession>();
	api.on('upgrade', (req, socket, head) => {
		socket.on('error', () => socket.destroy());
		const { pathname } = new URL(req.url ?? '/', 'http://emulator');
		const ready = deps();
		if (ready === undefined || !SYNC_PATH.test(pathname)) return void socket.destroy();
		wss.handleUpgrade(req, socket, head, (ws) => {
			const session = new SyncSession(ws, ready);
			sessions.add(session);
			ws.on('close', () => sessions.delete(session));
		});
	});
	/** Drops every connection and stops listening (the servers can listen again). */
	const closeAll = async () => {
		for (const ws of wss.clients) ws.terminate();
		await Promise.all([closeServer(api), closeServer(site)]);
	};
	return { api, site, sessions, closeAll };
}

import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { newServerSecret } from '../convex/gate.ts';
import { WebSocketServer } from 'ws';
import { TokenVerifier, providersOf } from './auth.ts';
import { Backend } from './backend.ts';
import { WriteClock } from './clock.ts';
import { MutationLog } from './dedupe.ts';
import { handleApi } from './http-api.ts';
import { sendJson } from './http-util.ts';
import { generateAuthKeys } from './keys.ts';
import { convexModules, loadModule } from './modules.ts';
import { DataDir, saveOnWrites } from './persist.ts';
import { assertLoopback, closeServer, listen, urlHost } from './net.ts';
import { handleSite } from './site.ts';
import { SyncSession, type SyncDeps } from './sync.ts';
import { onEveryWrite } from './writes.ts';

export type EmulatorOptions = {
	/** Deployment URL port (HTTP API + WebSocket); 0 picks a free one (the default). */
	port?: number;
	/** Site URL port (HTTP actions); 0 picks a free one (the default). */
	sitePort?: number;
	/** A loopback address (the default 127.0.0.1): the emulator serves one machine only. */
	host?: string;
	/**
	 * Failures carry their message and stack, as on a dev deployment. Off by default: clients
	 * get `[Request ID: …] Server Error` for anything but a ConvexError, as from production.
	 */
	devErrors?: boolean;
	/** Extra deployment env vars for the functions (e.g. AUTH_JWT_DURATION_MS); they win. */
	env?: Record<string, string>;
	/** Where the functions live; defaults to this repository's convex/. */
	convexDir?: string;
	/**
	 * A folder that keeps the signing keys and every document across runs, so sessions survive a
	 * restart (`npm run dev:offline` uses `.convex-offline/`). Without it, all is in memory.
	 */
	dataDir?: string;
};

export type Emulator = {
	url: string;
	siteUrl: string;
	/** The deployment env the functions see, generated keys included. */
	env: Record<string, string>;
	/** Stops listening and drops every connection, keeping data and keys: "backend down". */
	pause(): Promise<void>;
	/** Listens again on the same ports. */
	resume(): Promise<void>;
	/**
	 * Loads the functions again (added, changed, removed; a new schema), keeping data and sessions,
	 * as a push to a deployment does. Throws, and the previous code keeps serving, when a module
	 * fails to load (ModuleLoadError) or stored documents break the new schema (SchemaViolation).
	 */
	reload(): Promise<void>;
	close(): Promise<void>;
	/**
	 * Open sync connections, their query subscriptions, function calls by path so far, and the
	 * AuthErrors sent for expired tokens by token subject (`userId|sessionId`).
	 */
	stats(): {
		connections: number;
		subscriptions: number;
		calls: Record<string, number>;
		expiredTokens: Record<string, number>;
	};
};

const DEFAULT_CONVEX_DIR = fileURLToPath(new URL('../convex', import.meta.url));
const SYNC_PATH = /^\/api\/[^/]+\/sync$/;
/** Deployment env a developer may set in the shell. Functions see all of process.env anyway;
 * listing these puts them in `Emulator.env`, for whoever reports or forwards it. */
const PASS_THROUGH = ['AUTH_JWT_DURATION_MS', 'AUTH_LOG_LEVEL', 'AUTH_SERVER_SECRET', 'SITE_URL'];

let running = false;
let instances = 0;

/**
 * Starts a Convex-protocol emulator running this project's convex/ functions in convex-test.
 * One per process at a time: the functions read process.env, which two would have to share.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	if (running) throw new Error('An emulator is already running in this process; close it first.');
	const host = options.host ?? '127.0.0.1';
	// A development tool with throwaway keys and none of a deployment's operational protections:
	// it never listens beyond this machine.
	assertLoopback(host);
	running = true;
	let deps: SyncDeps | undefined;
	const serve = (res: ServerResponse, handle: (deps: SyncDeps) => Promise<void>) => {
		// Only reachable before startup finishes, on a fixed port someone guessed.
		if (deps === undefined) {
			return sendJson(res, 503, { code: 'Unavailable', message: 'The emulator is starting' });
		}
		handle(deps).catch((error: unknown) => console.error('[emulator]', error));
	};
	const api = createServer((req, res) => serve(res, (d) => handleApi(req, res, d)));
	const site = createServer((req, res) => serve(res, (d) => handleSite(req, res, d)));
	const wss = new WebSocketServer({ noServer: true });
	const sessions = new Set<SyncSession>();
	api.on('upgrade', (req, socket, head) => {
		socket.on('error', () => socket.destroy());
		const { pathname } = new URL(req.url ?? '/', 'http://emulator');
		if (deps === undefined || !SYNC_PATH.test(pathname)) return void socket.destroy();
		const sessionDeps = deps;
		wss.handleUpgrade(req, socket, head, (ws) => {
			const session = new SyncSession(ws, sessionDeps);
			sessions.add(session);
			ws.on('close', () => sessions.delete(session));
		});
	});

	const previousEnv = new Map<string, string | undefined>();
	let stopWrites = () => {};
	let stopSaving = () => {};
	const stop = async () => {
		await closeAll();
		stopSaving();
		stopWrites();
		for (const [name, value] of previousEnv) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
		running = false;
	};
	const closeAll = async () => {
		for (const ws of wss.clients) ws.terminate();
		await Promise.all([closeServer(api), closeServer(site)]);
	};

	try {
		const store = options.dataDir === undefined ? null : new DataDir(options.dataDir);
		const keys = store?.keys() ?? (await generateAuthKeys());
		store?.saveKeys(keys);
		const port = await listen(api, options.port ?? 0, host);
		const sitePort = await listen(site, options.sitePort ?? 0, host);
		const url = `http://${urlHost(host)}:${port}`;
		const siteUrl = `http://${urlHost(host)}:${sitePort}`;
		const env: Record<string, string> = {
			// What the app's server must present for password flows (convex/gate.ts); one from the
			// shell wins, so a second app process can share this backend.
			AUTH_SERVER_SECRET: newServerSecret(),
			...passThrough(),
			...keys,
			CONVEX_CLOUD_URL: url,
			CONVEX_SITE_URL: siteUrl,
			SITE_URL: process.env.SITE_URL ?? 'http://localhost:5173',
			...options.env
		};
		// Before any function module loads: auth.config.ts and auth.ts read env at import time.
		for (const [name, value] of Object.entries(env)) {
			previousEnv.set(name, process.env[name]);
			process.env[name] = value;
		}
		const convexDir = options.convexDir ?? DEFAULT_CONVEX_DIR;
		const modules = convexModules(convexDir, ++instances);
		const backend = await Backend.create(
			modules,
			options.devErrors ?? false,
			store?.data() ?? undefined
		);
		const clock = new WriteClock();
		stopWrites = onEveryWrite(() => clock.tick());
		if (store !== null) stopSaving = saveOnWrites(store, backend, clock);
		const verifierFor = async (map: typeof modules) => {
			const authConfig = (await loadModule(map, 'auth.config'))?.default;
			return new TokenVerifier(providersOf(authConfig), { siteUrl, jwks: env.JWKS });
		};
		const expiredTokens = new Map<string, number>();
		const live: SyncDeps = {
			backend,
			verifier: await verifierFor(modules),
			clock,
			mutations: new MutationLog(),
			expiredTokens
		};
		deps = live;

		let paused = false;
		let closed = false;
		return {
			url,
			siteUrl,
			env,
			async pause() {
				if (paused) return;
				paused = true;
				await closeAll();
			},
			async resume() {
				if (closed) throw new Error('This emulator was closed; start a new one.');
				if (!paused) return;
				await listen(api, port, host);
				await listen(site, sitePort, host);
				paused = false;
			},
			async reload() {
				// A new instance number: every module (and what it imports from convex/) is evaluated afresh.
				const next = convexModules(convexDir, ++instances);
				await backend.replace(next);
				live.verifier = await verifierFor(next);
				// Open subscriptions re-run against the new code.
				clock.tick();
			},
			stats() {
				let subscriptions = 0;
				for (const session of sessions) subscriptions += session.subscriptionCount;
				return {
					connections: sessions.size,
					subscriptions,
					calls: Object.fromEntries(backend.calls),
					expiredTokens: Object.fromEntries(expiredTokens)
				};
			},
			async close() {
				if (closed) return;
				closed = true;
				await stop();
			}
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

function passThrough(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const name of PASS_THROUGH) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}

import { fileURLToPath } from 'node:url';
import { TokenVerifier, providersOf } from './auth.ts';
import { Backend } from './backend.ts';
import { WriteClock } from './clock.ts';
import { MutationLog } from './dedupe.ts';
import { applyEnv, deploymentEnv } from './env.ts';
import { generateAuthKeys } from './keys.ts';
import { createListeners } from './listeners.ts';
import { convexModules, loadModule } from './modules.ts';
import { DataDir, saveOnWrites } from './persist.ts';
import { assertLoopback, listen, urlHost } from './net.ts';
import { Changes } from './read-sets.ts';
import type { SyncDeps } from './sync.ts';
import type { Emulator, EmulatorOptions } from './types.ts';
import { onEveryWrite } from './writes.ts';

export type { Emulator, EmulatorOptions } from './types.ts';

const DEFAULT_CONVEX_DIR = fileURLToPath(new URL('../convex', import.meta.url));

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
	const { api, site, sessions, closeAll } = createListeners(() => deps);
	let restoreEnv = () => {};
	let stopWrites = () => {};
	let stopSaving = () => {};
	const stop = async () => {
		await closeAll();
		stopSaving();
		stopWrites();
		restoreEnv();
		running = false;
	};

	try {
		const store = options.dataDir === undefined ? null : new DataDir(options.dataDir);
		const keys = store?.keys() ?? (await generateAuthKeys());
		store?.saveKeys(keys);
		const port = await listen(api, options.port ?? 0, host);
		const sitePort = await listen(site, options.sitePort ?? 0, host);
		const url = `http://${urlHost(host)}:${port}`;
		const siteUrl = `http://${urlHost(host)}:${sitePort}`;
		const env = deploymentEnv(keys, url, siteUrl, options.env);
		// Before any function module loads: auth.config.ts and auth.ts read env at import time.
		restoreEnv = applyEnv(env);
		const convexDir = options.convexDir ?? DEFAULT_CONVEX_DIR;
		const modules = convexModules(convexDir, ++instances);
		const backend = await Backend.create(
			modules,
			options.devErrors ?? false,
			store?.data() ?? undefined
		);
		const clock = new WriteClock();
		const changes = new Changes();
		stopWrites = onEveryWrite(
			(change) => {
				changes.publish(change);
				clock.tick();
			},
			(id) => backend.document(id)
		);
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
			changes,
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
				changes.publish('code');
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

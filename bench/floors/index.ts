// The floors P6 measures the relay against, each a fresh process started the way the relay's server
// is (MEASURED): raw node:http SSE, a bare SvelteKit SSE endpoint, and that endpoint behind this app's
// hooks, whose session step verifies each stream's cookie against the stack's backend. P1's control
// is a page of the same SvelteKit app behind the same hooks (kit/routes/page).
import { fileURLToPath } from 'node:url';
import { newServerSecret } from '../../convex/gate.ts';
import { spawnGroup } from '../group.ts';
import { retainedPerStream, type Retained } from '../memory.ts';
import { answering } from '../../tests/support/answering.ts';
import { MEASURED, type Stack } from '../stack.ts';
import { out } from './kit/out.ts';

export type Floor = 'raw' | 'kit' | 'kit+hooks';

const entry = (floor: Floor) =>
	floor === 'raw'
		? fileURLToPath(new URL('./raw-sse.ts', import.meta.url))
		: `${out}/build/index.js`;

/**
 * Starts one floor as a fresh process on `port`, against the stack's backend; `extra` are Node flags
 * (MEASURED for P6). Stop it with `stop()`.
 */
export async function startFloor(floor: Floor, stack: Stack, port: number, extra: string[] = []) {
	const probePort = port + 1000;
	const group = spawnGroup('node', [...extra, entry(floor)], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			PROTOCOL_HEADER: 'x-forwarded-proto',
			PROBE_PORT: String(probePort),
			// adapter-node waits this long for open streams on SIGTERM (the readiness check leaves one).
			SHUTDOWN_TIMEOUT: '1',
			CONVEX_URL: stack.convexUrl,
			CONVEX_SITE_URL: stack.siteUrl,
			// The app's config asks for one; no password flow runs here.
			AUTH_SERVER_SECRET: process.env.AUTH_SERVER_SECRET ?? newServerSecret(),
			FLOOR_HOOKS: floor === 'kit+hooks' ? 'app' : ''
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const url = `http://127.0.0.1:${port}`;
	await answering(`${url}/sse`).catch(async (e) => {
		await group.stop();
		throw e;
	});
	return { url, probePort, stop: () => group.stop() };
}

/** Retained memory per stream of one floor, streams opened with `cookies` (one per tab). */
export async function measureFloor(floor: Floor, stack: Stack, cookies: string[], port: number) {
	const server = await startFloor(floor, stack, port, MEASURED);
	let result: Retained | undefined;
	try {
		result = await retainedPerStream(
			{ url: server.url, probePort: server.probePort, path: '/sse' },
			cookies,
			['Request', 'URL']
		);
		return result;
	} finally {
		result?.close();
		await server.stop();
	}
}

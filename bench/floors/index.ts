// The floors P6 measures the relay against, each a fresh process started the way the relay's server
// is (MEASURED): raw node:http SSE, a bare SvelteKit SSE endpoint, and that endpoint behind this app's
// hooks, whose session step verifies each stream's cookie against the stack's backend.
import { fileURLToPath } from 'node:url';
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

/** Retained memory per stream of one floor, streams opened with `cookies` (one per tab). */
export async function measureFloor(floor: Floor, stack: Stack, cookies: string[], port: number) {
	const probePort = port + 1000;
	const group = spawnGroup('node', [...MEASURED, entry(floor)], {
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
			FLOOR_HOOKS: floor === 'kit+hooks' ? 'app' : ''
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	let result: Retained | undefined;
	try {
		await answering(`http://127.0.0.1:${port}/sse`);
		result = await retainedPerStream(
			{ url: `http://127.0.0.1:${port}`, probePort, path: '/sse' },
			cookies,
			['Request', 'URL']
		);
		return result;
	} finally {
		result?.close();
		await group.stop();
	}
}

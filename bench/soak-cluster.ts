// The soak's cluster (tests/cluster/stack.ts): started with the instances as deployed, plus the
// bench's probe, and what the probe says of each instance's memory.
import { fileURLToPath } from 'node:url';
import { CLUSTER, controlUrl, probePort } from '../tests/cluster/stack.ts';
import { answering } from '../tests/support/answering.ts';
import { spawnGroup } from './group.ts';

/** Per instance, in MB: RSS as it is, and V8's heap (committed) within it. */
export type Reading = { at: number; rssMb: number[]; v8Mb: number[] };
/** Per instance, in MB, after forced full collections (bench/probe.ts `/memory`). */
export type Retained = { rssMb: number; heapMb: number; externalMb: number };
const MB = 2 ** 20;

const preload = (file: string) => ['--import', fileURLToPath(new URL(file, import.meta.url))];
const leakKb = Number(process.env.BENCH_SOAK_LEAK_KB ?? 0);

export async function startCluster() {
	const group = spawnGroup('npx', ['tsx', 'tests/cluster/stack.ts'], {
		env: {
			...process.env,
			// Hour-long JWTs: a stream would otherwise end for a refresh mid-run, which this client
			// (unlike a browser) does not do.
			CLUSTER_JWT_MS: '3600000',
			AUTH_SIGN_IN_PER_IP_PER_MINUTE: '1000000',
			AUTH_SIGN_UP_PER_IP_PER_HOUR: '1000000',
			// The instances run as deployed (deploy/instance.env), with the bench's probe preloaded,
			// and for the self-test a deliberate leak (BENCH_SOAK_LEAK_KB per request, bench/leak.ts).
			CLUSTER_NODE_ARGS: [
				'--expose-gc',
				...preload('probe.ts'),
				...(leakKb ? preload('leak.ts') : [])
			].join(' '),
			LEAK_KB: String(leakKb)
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	await answering(`${controlUrl}/ready`, {
		timeoutMs: 90_000,
		exited: () => group.child.exitCode !== null
	});
	return group;
}

/** The same probe path asked of every instance (bench/probe.ts), in instance order. */
const probe = async <T>(path: string) =>
	Promise.all(
		CLUSTER.instances.map(
			async (port) => (await fetch(`http://127.0.0.1:${probePort(port)}${path}`)).json() as T
		)
	);

export async function retained(): Promise<Retained[]> {
	const ms = await probe<{ rss: number; heap: number; external: number }>('/memory');
	return ms.map((m) => ({ rssMb: m.rss / MB, heapMb: m.heap / MB, externalMb: m.external / MB }));
}

/** Per instance, in MB: RSS and V8's committed heap as they are, no collection forced. */
export async function usage(): Promise<Omit<Reading, 'at'>> {
	const us = await probe<{ rss: number; v8: number }>('/usage');
	return { rssMb: us.map((u) => u.rss / MB), v8Mb: us.map((u) => u.v8 / MB) };
}

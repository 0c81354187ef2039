// The cluster: one offline backend, two production app instances (`node server.ts`) and nginx in
// front with deploy/nginx.conf. Run as a command (`tsx tests/cluster/stack.ts`) it starts them all,
// answers on a control port, and takes them all down when it is stopped. Everything is a child in
// this process's group, so a runner that kills the group leaves nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { answering } from '../support/answering.ts';
import { deployEnv } from './deploy-env.ts';
import { port } from '../support/ports.ts';
import { startNginx } from './nginx.ts';

const app = port('CLUSTER_APP_PORT');
const api = port('CLUSTER_BACKEND_PORT');

export const CLUSTER = {
	balancer: app,
	instances: [app + 1, app + 2],
	backend: api,
	site: api + 1,
	backendControl: api + 9,
	control: api + 8,
	/** JWTs outlive a test step but expire within one test, so refresh races are reachable. */
	jwtMs: 20_000
} as const;

/** Where an instance's bench probe (bench/probe.ts, when CLUSTER_NODE_ARGS preloads it) answers. */
export const probePort = (instancePort: number) => instancePort + 1000;

export const backendControlUrl = `http://127.0.0.1:${CLUSTER.backendControl}`;
export const balancerUrl = `http://127.0.0.1:${CLUSTER.balancer}`;
export const controlUrl = `http://127.0.0.1:${CLUSTER.control}`;

/** Shared by the backend and every instance, as a deployment's would be (password flows need it). */
const serverSecret = process.env.AUTH_SERVER_SECRET || randomBytes(32).toString('hex');

/** The env every instance gets: the headers deploy/nginx.conf sets, and the offline backend. */
export function instanceEnv(port: number): Record<string, string> {
	const files = process.env.CLUSTER_INSTANCE_ENV?.split(',');
	const i = CLUSTER.instances.indexOf(port as never);
	return {
		...deployEnv(files?.[i % files.length]),
		AUTH_SERVER_SECRET: serverSecret,
		PORT: String(port),
		HOST: '127.0.0.1',
		PROTOCOL_HEADER: 'x-forwarded-proto',
		HOST_HEADER: 'x-forwarded-host',
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1',
		CONVEX_URL: `http://127.0.0.1:${CLUSTER.backend}`,
		CONVEX_SITE_URL: `http://127.0.0.1:${CLUSTER.site}`,
		AUTH_LOG_LEVEL: 'ERROR'
	};
}

function start(command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
	return spawn(command, args, {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'inherit', 'inherit']
	});
}

async function main() {
	const backend = start(
		'npx',
		[
			'tsx',
			'emulator/run.ts',
			'--port',
			`${CLUSTER.backend}`,
			'--site-port',
			`${CLUSTER.site}`,
			'--control-port',
			`${CLUSTER.backendControl}`
		],
		// The bench's soak sets CLUSTER_JWT_MS: its streams do not refresh.
		{
			AUTH_JWT_DURATION_MS: process.env.CLUSTER_JWT_MS ?? String(CLUSTER.jwtMs),
			AUTH_LOG_LEVEL: 'ERROR',
			AUTH_SERVER_SECRET: serverSecret,
			// Every test signs up anew; sign-in keeps its real per-IP limit, which the tests check.
			AUTH_SIGN_UP_PER_IP_PER_HOUR: process.env.AUTH_SIGN_UP_PER_IP_PER_HOUR ?? '100000'
		}
	);
	await answering(`${backendControlUrl}/health`, { exited: () => backend.exitCode !== null });

	const instances: (ChildProcess | null)[] = CLUSTER.instances.map(() => null);
	const startInstance = async (i: number) => {
		// CLUSTER_NODE_ARGS: flags for the instances alone (the bench preloads its memory probe).
		const flags = process.env.CLUSTER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
		const port = CLUSTER.instances[i];
		const env = { ...instanceEnv(port), PROBE_PORT: String(probePort(port)) };
		const child = start('node', [...flags, 'server.ts'], env);
		instances[i] = child;
		await answering(`http://127.0.0.1:${port}/`, { exited: () => child.exitCode !== null });
	};
	await Promise.all(CLUSTER.instances.map((_, i) => startInstance(i)));

	const nginx = startNginx(CLUSTER.balancer, [...CLUSTER.instances]);
	await answering(`${balancerUrl}/`, { exited: () => nginx.exitCode !== null });

	// POST /instances/<i>/kill (SIGKILL: no draining) and /instances/<i>/start; GET /ready.
	const control = createServer(async (req, res) => {
		const match = /^\/instances\/(\d)\/(kill|start)$/.exec(req.url ?? '');
		const i = Number(match?.[1]);
		if (req.method === 'GET' && req.url === '/ready') return res.end('ready');
		if (req.method !== 'POST' || !match || !(i in instances)) return res.writeHead(404).end();
		if (match[2] === 'kill') {
			const child = instances[i];
			instances[i] = null;
			if (child && child.exitCode === null) {
				const gone = new Promise((r) => child.once('exit', r));
				child.kill('SIGKILL');
				await gone;
			}
		} else if (!instances[i]) {
			await startInstance(i);
		}
		res.writeHead(204).end();
	});
	control.listen(CLUSTER.control, '127.0.0.1');

	// No draining: an instance would hold its open event streams for SHUTDOWN_TIMEOUT, and its port
	// with them, into the next run.
	const stop = () => {
		for (const child of [nginx, ...instances, backend]) child?.kill('SIGKILL');
		try {
			process.kill(-process.pid, 'SIGKILL'); // the emulator's own children, if we lead the group
		} catch {
			process.exit(0);
		}
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	console.log(`[cluster] nginx ${balancerUrl} → instances ${CLUSTER.instances.join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	main().catch((error: unknown) => {
		console.error('[cluster]', error instanceof Error ? error.message : error);
		process.exit(1);
	});
}

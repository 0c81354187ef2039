// Starts the production server (`node server.ts`, what `npm start` runs) against the emulator, the way
// bench figures are taken.
import { fileURLToPath } from 'node:url';
import { spawnGroup } from './group.ts';
import { answering } from '../tests/support/answering.ts';
import { port as portOf } from '../tests/support/ports.ts';

export type Stack = {
	url: string;
	port: number;
	convexUrl: string;
	siteUrl: string;
	/** The emulator's counters: connections, subscriptions, calls by function. */
	stats: () => Promise<{
		connections: number;
		subscriptions: number;
		calls: Record<string, number>;
	}>;
	/** The server's retained memory, when started with `measured` (see probe.ts). */
	probePort: number;
	stop: () => Promise<void>;
};

/**
 * How P6 runs a server it measures: forced collections through the probe, and V8's young generation
 * pinned to one size, so that its growth during the run does not count as a cost per stream.
 */
export const MEASURED = [
	'--expose-gc',
	'--min-semi-space-size=16',
	'--max-semi-space-size=16',
	'--import',
	fileURLToPath(new URL('./probe.ts', import.meta.url))
];

export async function startStack(
	n: number,
	env: Record<string, string> = {},
	measured = false
): Promise<Stack> {
	const port = portOf('BENCH_APP_PORT') + n;
	const api = portOf('BENCH_BACKEND_PORT') + 10 * n;
	const probePort = port + 1000;
	const group = spawnGroup(
		'npx',
		[
			'tsx',
			'emulator/run.ts',
			'--port',
			String(api),
			'--site-port',
			String(api + 1),
			'--control-port',
			String(api + 9),
			'--',
			'node',
			...(measured ? MEASURED : []),
			'server.ts'
		],
		{
			// adapter-node reads the protocol from this header; bench clients send `http`.
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				PROTOCOL_HEADER: 'x-forwarded-proto',
				BODY_SIZE_LIMIT: 'Infinity',
				AUTH_LOG_LEVEL: 'ERROR',
				// Every bench session signs up from 127.0.0.1: Convex's per-IP limits out of the way.
				AUTH_SIGN_IN_PER_IP_PER_MINUTE: '1000000',
				AUTH_SIGN_UP_PER_IP_PER_HOUR: '1000000',
				PROBE_PORT: String(probePort),
				...env
			},
			stdio: ['ignore', 'ignore', 'inherit']
		}
	);
	const url = `http://127.0.0.1:${port}`;
	await answering(`${url}/`).catch(async (e: unknown) => {
		await group.stop();
		throw e;
	});
	return {
		url,
		port,
		convexUrl: `http://127.0.0.1:${api}`,
		siteUrl: `http://127.0.0.1:${api + 1}`,
		stats: async () => (await fetch(`http://127.0.0.1:${api + 9}/stats`)).json(),
		probePort,
		stop: group.stop
	};
}

/** Headers every bench request to the app carries. */
export function appHeaders(url: string, cookie = ''): Record<string, string> {
	return { 'x-forwarded-proto': 'http', origin: url, ...(cookie ? { cookie } : {}) };
}

/** Signs up a fresh user through the login proxy and returns the session cookie header. */
export async function signUp(url: string): Promise<{ cookie: string; jwt: string; email: string }> {
	const email = `bench-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
	const res = await fetch(`${url}/signup`, {
		method: 'POST',
		redirect: 'manual',
		headers: { ...appHeaders(url), 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: 'bench password 1' })
	});
	const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
	const jwt = cookies.find((c) => c.startsWith('convex-jwt='))?.slice('convex-jwt='.length);
	if (!jwt) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
	return { cookie: cookies.join('; '), jwt, email };
}

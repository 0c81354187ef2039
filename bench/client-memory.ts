// P6 breakdown: what one session's upstream Convex client costs on its own, in a process of its own
// (forced GC before each reading). `relay` is the relay's own client (src/lib/server/live/upstream.ts,
// the `ws` package without compression); `builtin` is ConvexClient on Node's built-in WebSocket.
// Child mode: node --expose-gc --import tsx bench/client-memory.ts <convexUrl> <relay|builtin>,
// JWTs as a JSON array on stdin; prints one JSON line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConvexClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { convexUpstream } from '../src/lib/server/live/upstream.ts';
import { count } from './count.ts';

export type ClientMemory = { clients: number; rssKb: number; heapKb: number };
type Mode = 'relay' | 'builtin';
const QUERIES = ['notes:list', 'users:me'];

/** Per-client RSS and heap growth of `tokens.length` clients, two subscriptions each. */
export function measureClients(convexUrl: string, tokens: string[], mode: Mode) {
	const child = spawn(
		process.execPath,
		['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), convexUrl, mode],
		{ stdio: ['pipe', 'pipe', 'inherit'] }
	);
	child.stdin.end(JSON.stringify(tokens));
	let out = '';
	child.stdout.on('data', (chunk: Buffer) => (out += chunk));
	return new Promise<ClientMemory>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => {
			if (code !== 0) return reject(new Error(`client-memory ${mode} exited with ${code}`));
			resolve(JSON.parse(out.trim().split('\n').pop()!) as ClientMemory);
		});
	});
}

async function child(convexUrl: string, mode: Mode) {
	let input = '';
	for await (const chunk of process.stdin) input += chunk;
	const tokens = JSON.parse(input) as string[];
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('run with --expose-gc');
	const reading = () => {
		gc();
		gc();
		const m = process.memoryUsage();
		return { rss: m.rss, heap: m.heapUsed };
	};
	const values = count();
	const open = (token: string) => {
		if (mode === 'relay') {
			const upstream = convexUpstream(convexUrl, token);
			for (const name of QUERIES) upstream.subscribe(name, {}, values.add, () => {});
			return () => upstream.close();
		}
		const client = new ConvexClient(convexUrl, {
			skipConvexDeploymentUrlCheck: true,
			logger: false
		});
		client.setAuth(async () => token);
		for (const name of QUERIES)
			client.onUpdate(makeFunctionReference<'query'>(name), {}, values.add, () => {});
		return () => client.close();
	};
	const settle = async (expected: number) => {
		await values.reached(expected);
		if (values.value < expected)
			throw new Error(`only ${values.value} of ${expected} first values arrived`);
	};
	// The first half pays the one-off costs (code loading, JIT, V8 sizing its young generation);
	// the second half's growth is what one more client costs.
	const half = Math.floor(tokens.length / 2);
	const closers = tokens.slice(0, half).map(open);
	await settle(half * QUERIES.length);
	const before = reading();
	closers.push(...tokens.slice(half).map(open));
	await settle(tokens.length * QUERIES.length);
	const after = reading();
	const added = tokens.length - half;
	const result: ClientMemory = {
		clients: added,
		rssKb: (after.rss - before.rss) / 1024 / added,
		heapKb: (after.heap - before.heap) / 1024 / added
	};
	await Promise.all(closers.map((close) => close()));
	console.log(JSON.stringify(result));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	await child(process.argv[2], process.argv[3] as Mode);
	process.exit(0);
}

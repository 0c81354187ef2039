// Preloaded into a measured server (`node --expose-gc --import ./bench/probe.ts …`, PROBE_PORT set):
// answers on loopback with what the server retains, read after forced full collections, so that
// garbage not yet collected never counts as a cost.
//   GET /memory            → { rss, heap, external } in bytes
//   GET /memory?release    → the same after a memory-reducing collection: V8 also hands back to the
//                            system the heap it had sized for the load (young generation, free pages)
//   GET /usage             → { rss, v8 } in bytes, no collection: RSS as it is, and V8's share of it
//   GET /objects?names=A,B → how many live objects of each constructor name (from a heap snapshot)
import { createServer } from 'node:http';
import { getHeapSnapshot, getHeapStatistics } from 'node:v8';

const gc = (globalThis as { gc?: (options?: object) => void }).gc;
if (!gc) throw new Error('bench/probe.ts needs node --expose-gc');

function collect(release: boolean) {
	// Twice: the first pass runs finalizers that free more on the second.
	gc!({ type: 'major', execution: 'sync' });
	gc!({ type: 'major', execution: 'sync' });
	// V8's last-resort collection, the one it runs under memory pressure, also shrinks its heap.
	if (release) gc!({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/** What the process holds: live JS heap, memory held by JS objects outside it, RSS. */
function memory() {
	const { rss, heapUsed, external } = process.memoryUsage();
	return { rss, heap: heapUsed, external };
}

type Snapshot = {
	snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
	nodes: number[];
	strings: string[];
};

/** Live objects per constructor name; the snapshot itself holds only what is reachable. */
async function countObjects(names: string[]) {
	let json = '';
	for await (const chunk of getHeapSnapshot()) json += chunk;
	const { snapshot, nodes, strings } = JSON.parse(json) as Snapshot;
	const fields = snapshot.meta.node_fields;
	const [typeAt, nameAt] = [fields.indexOf('type'), fields.indexOf('name')];
	const objectType = snapshot.meta.node_types[0].indexOf('object');
	const counts = Object.fromEntries(names.map((n) => [n, 0]));
	for (let i = 0; i < nodes.length; i += fields.length) {
		if (nodes[i + typeAt] !== objectType) continue;
		const name = strings[nodes[i + nameAt]];
		if (name in counts) counts[name]++;
	}
	return counts;
}

const probe = createServer(async (req, res) => {
	const url = new URL(req.url!, 'http://probe');
	if (url.pathname !== '/usage') collect(url.searchParams.has('release'));
	const body =
		url.pathname === '/usage'
			? { rss: process.memoryUsage.rss(), v8: getHeapStatistics().total_physical_size }
			: url.pathname === '/objects'
				? await countObjects((url.searchParams.get('names') ?? '').split(','))
				: memory();
	res.setHeader('content-type', 'application/json');
	res.end(JSON.stringify(body));
});
probe.listen(Number(process.env.PROBE_PORT), '127.0.0.1');
// The server under test decides when the process ends.
probe.unref();

// `npm run bench`: every figure is a ratio or difference of two runs taken side by side in this run.
import { writeFileSync } from 'node:fs';
import { benchProxy, benchProxyConvex } from './proxy.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const results: Record<string, unknown> = {
	date: new Date().toISOString(),
	node: process.version,
	seconds
};

const proxy = await benchProxy(seconds);
results.proxy = proxy;
const proxyConvex = await benchProxyConvex(seconds);
results.proxyConvex = proxyConvex;

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const rows: [string, string, string, string][] = [
	[
		'P2 /api proxy: added p50 latency',
		`${fmt(proxy.addedP50)} ms (${fmt(proxy.direct.p50)} → ${fmt(proxy.proxy.p50)})`,
		'≤ +1 ms',
		proxy.addedP50 <= 1 ? 'ok' : 'MISSED'
	],
	[
		'P2 /api proxy: added p99 latency',
		`${fmt(proxy.addedP99)} ms (${fmt(proxy.direct.p99)} → ${fmt(proxy.proxy.p99)})`,
		'—',
		''
	],
	[
		'P2 throughput ratio, Convex HTTP action upstream',
		`${fmt(proxyConvex.throughputRatio)}× (${fmt(proxyConvex.proxyRps, 0)} / ${fmt(proxyConvex.directRps, 0)} req/s)`,
		'≥ 0.70×',
		proxyConvex.throughputRatio >= 0.7 ? 'ok' : 'MISSED'
	],
	[
		'P2 throughput ratio, no-op upstream',
		`${fmt(proxy.throughputRatio)}× (${fmt(proxy.proxy.rps, 0)} / ${fmt(proxy.direct.rps, 0)} req/s)`,
		'≥ 0.70×',
		proxy.throughputRatio >= 0.7 ? 'ok' : 'MISSED'
	],
	[
		'    SvelteKit floor: same route, no upstream call',
		`${fmt(proxy.kitFloorRps, 0)} req/s`,
		'—',
		''
	],
	[
		'P3 RSS growth, 100 MB upload (median of 3)',
		`${fmt(proxy.rssGrowthMb.median, 1)} MB (max ${fmt(proxy.rssGrowthMb.max, 1)}, first after start ${fmt(proxy.rssGrowthMb.firstAfterStart, 1)})`,
		'≤ 32 MB',
		proxy.rssGrowthMb.median <= 32 ? 'ok' : 'MISSED'
	]
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
console.log(['figure', 'measured', 'target', ''].map((h, i) => h.padEnd(widths[i])).join(' | '));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i])).join(' | '));

writeFileSync('bench/results.json', JSON.stringify(results, null, '\t') + '\n');
console.log('\nwritten to bench/results.json');

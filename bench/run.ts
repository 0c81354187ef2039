// `npm run bench`: every figure is a ratio or difference of runs taken side by side in this run.
import { writeFileSync } from 'node:fs';
// First, so that `tsx bench/run.ts` alone also stops at once without wrk.
import './preflight.ts';
import { benchRefreshStorm, benchSsr, ssrRows } from './auth.ts';
import { benchHooks } from './hooks.ts';
import { liveRows } from './live-rows.ts';
import { benchLiveLatency } from './live-latency.ts';
import { benchLiveLarge, benchLiveScale } from './live.ts';
import { benchProxy, benchProxyConvex } from './proxy.ts';
import { benchScopedTokens } from './scoped.ts';
import { benchSoak } from './soak.ts';
import { soakRows } from './soak-rows.ts';
import { ok, printTable, type Row } from './table.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const sessions = Number(process.env.BENCH_SESSIONS ?? 1000);
// The 10,000-stream run (BENCH_LARGE_SESSIONS=5000) signs up that many users first: about 15 minutes.
const largeSessions = Number(process.env.BENCH_LARGE_SESSIONS ?? 0);
const soakStreams = Number(process.env.BENCH_SOAK_STREAMS ?? 1000);
const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
const step = async <T>(name: string, run: () => Promise<T>) => {
	process.stderr.write(`running ${name}…\n`);
	return run();
};

const ssr = await step('P1 SSR', () => benchSsr(seconds, 5));
const proxy = await step('P2/P3 proxy', () => benchProxy(seconds));
const proxyConvex = await step('P2 proxy to Convex', () => benchProxyConvex(seconds));
const storm = await step('P4 refresh storm', () => benchRefreshStorm(50));
const live = await step('P5 live latency', () => benchLiveLatency(100));
const scale = await step('P6/P7 live scale', () => benchLiveScale(sessions, 2));
const large = largeSessions
	? await step(`P6 at ${largeSessions * 2} streams`, () => benchLiveLarge(largeSessions, 2))
	: null;
const hooks = await step('hooks cost', () => benchHooks());
const scoped = await step('scoped tokens', () => benchScopedTokens());
const soak = await step('soak through nginx', () => benchSoak(soakStreams, soakSeconds));

const f = (n: number, d = 2) => n.toFixed(d);
const rows: Row[] = [
	...ssrRows(ssr),
	[
		'P2 /api proxy: added p50 latency',
		`+${f(proxy.addedP50)} ms (${f(proxy.direct.p50)} → ${f(proxy.proxy.p50)})`,
		'≤ +1 ms',
		ok(proxy.addedP50 <= 1)
	],
	[
		'P2 /api proxy: added p99 latency',
		`+${f(proxy.addedP99)} ms (${f(proxy.direct.p99)} → ${f(proxy.proxy.p99)})`,
		'—',
		''
	],
	[
		'P2 throughput ratio, Convex HTTP action upstream',
		`${f(proxyConvex.throughputRatio)}× (${f(proxyConvex.proxyRps, 0)} / ${f(proxyConvex.directRps, 0)})`,
		'≥ 0.70×',
		ok(proxyConvex.throughputRatio >= 0.7)
	],
	[
		'P2 throughput ratio, no-op upstream',
		`${f(proxy.throughputRatio)}× (${f(proxy.proxy.rps, 0)} / ${f(proxy.direct.rps, 0)})`,
		'≥ 0.70×',
		ok(proxy.throughputRatio >= 0.7)
	],
	[
		'    SvelteKit floor: same route, no upstream call',
		`${f(proxy.kitFloorRps, 0)} req/s`,
		'—',
		''
	],
	[
		'P3 RSS growth per 100 MB upload (median of 3)',
		`${f(proxy.rssGrowthMb.median, 1)} MB (max ${f(proxy.rssGrowthMb.max, 1)}; first after start ${f(proxy.rssGrowthMb.firstAfterStart, 1)})`,
		'≤ 32 MB',
		ok(proxy.rssGrowthMb.median <= 32)
	],
	[
		'P4 refresh storm: backend refreshes / successes',
		`${storm.refreshes} / ${storm.succeeded} of ${storm.parallel}`,
		`1 / ${storm.parallel}`,
		ok(storm.refreshes === 1 && storm.succeeded === storm.parallel)
	],
	[
		'P5 live update p50: relay vs direct ConvexClient',
		`+${f(live.addedP50)} ms (${f(live.direct.p50)} → ${f(live.relay.p50)})`,
		'≤ +5 ms',
		ok(live.addedP50 <= 5)
	],
	...liveRows(scale, large, sessions),
	[
		'P7 10 tabs of one session on one query',
		`${scale.p7.upstreamSubscriptions} upstream subscription, ${scale.p7.upstreamConnections} connection`,
		'1',
		ok(scale.p7.upstreamSubscriptions === 1 && scale.p7.upstreamConnections === 1)
	],
	['Hooks per request: cookie parse + verify (cached)', `${f(hooks.cachedUs, 1)} µs`, '—', ''],
	['    the same with a signature check every time', `${f(hooks.uncachedUs, 1)} µs`, '—', ''],
	[
		'Scoped backend token per request (cached)',
		`${f(scoped.es256.cachedUs, 1)} µs (RS256 key: ${f(scoped.rs256.cachedUs, 1)} µs)`,
		'—',
		''
	],
	[
		'    minted every time (no cache)',
		`${f(scoped.es256.uncachedUs, 1)} µs ES256, ${f(scoped.rs256.uncachedUs, 1)} µs RS256`,
		'—',
		''
	],
	...soakRows(soak)
];
printTable(rows);

const results = {
	date: new Date().toISOString(),
	node: process.version,
	seconds,
	ssr,
	proxy,
	proxyConvex,
	storm,
	live,
	scale,
	large,
	hooks,
	scoped,
	soak
};
writeFileSync('bench/results.json', JSON.stringify(results, null, '\t') + '\n');
console.log('\nwritten to bench/results.json');

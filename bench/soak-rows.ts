// The soak's rows of the bench table. The instances run with deploy/instance.env, which bounds what
// V8 and glibc's allocator may hold beyond what is live; under it, RSS as it is (no collection
// forced) is held to no growth after the first 10 s, beside the live JS heap after forced
// collections. A leak in JavaScript grows both (`BENCH_SOAK_LEAK_KB` injects one to show it).
import type { Reading } from './soak-cluster.ts';
import type { Soak } from './soak.ts';
import { ok, printTable, type Row } from './table.ts';

/**
 * The most the live heap may gain after 10 s. Runs with no leak moved it by −8.2 to +9.2 MB per
 * instance (what requests in flight at the 10 s reading hold, compiled code); 12 MB is ~2 KB per
 * page load, or ~24 KB per stream, of the default run.
 */
export const HEAP_NOISE_MB = 12;
/**
 * The most RSS may gain after 10 s (highest reading). Under deploy/instance.env: +5.1 / +4.9 MB
 * in 60 s at 1,000 streams (19,863 page loads); at 400 streams, side by side with an instance
 * without its malloc thresholds, +6.2 to +9.6 MB by the end of runs of 60–180 s and single readings
 * up to +15.2 (V8's compiler memory, back within 10 s), against +21 MB in 120 and 180 s without the
 * thresholds, in steps that do not come back. A leak of 4 KB per request (BENCH_SOAK_LEAK_KB=4)
 * reached +73 / +76 MB in a run of 22,470 page loads.
 */
export const RSS_NOISE_MB = 18;

const mb = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
const signed = (xs: number[]) => xs.map((g) => (g >= 0 ? '+' : '') + g.toFixed(1)).join(' / ');

/** RSS readings at the start, 10 s in and at the end, and each instance's rise after 10 s. */
export function rssPoints(readings: Reading[]) {
	const first = readings[0];
	const at10 = readings.find((r) => r.at >= 10) ?? first;
	const last = readings[readings.length - 1];
	// The highest reading after 10 s, not the last: near its cap V8 compacts and hands pages back,
	// which can bring RSS down for a while even as a leak grows the live heap.
	const after = readings.filter((r) => r.at >= at10.at);
	const growth = at10.rssMb.map((x, i) => Math.max(...after.map((r) => r.rssMb[i])) - x);
	return { first, at10, last, growth };
}

export function soakRows(soak: Soak): Row[] {
	const { at10s, atEnd } = soak.retained;
	const heapGrowth = atEnd.map((r, i) => r.heapMb - at10s[i].heapMb);
	const rss = rssPoints(soak.readings);
	return [
		[
			`Soak: ${soak.streams} streams through nginx, 2 instances, ${soak.seconds} s of page loads`,
			`${soak.errors} errors (${soak.ssrRequests} pages, ${soak.notesWritten} notes to both tabs)`,
			'0 errors',
			ok(soak.errors === 0)
		],
		[
			'    RSS per instance: start → 10 s → end (MB; V8 heap within it)',
			[rss.first, rss.at10, rss.last].map((r) => `${mb(r.rssMb)} (${mb(r.v8Mb)})`).join(' → '),
			'—',
			''
		],
		[
			'    RSS per instance after 10 s, highest reading (MB)',
			signed(rss.growth),
			`no growth (≤ +${RSS_NOISE_MB} MB)`,
			ok(rss.growth.every((g) => g <= RSS_NOISE_MB))
		],
		[
			'    live JS heap per instance after 10 s (MB, after GC)',
			`${signed(heapGrowth)} (${mb(at10s.map((r) => r.heapMb))} → ${mb(atEnd.map((r) => r.heapMb))})`,
			`no growth (≤ +${HEAP_NOISE_MB} MB)`,
			ok(heapGrowth.every((g) => g <= HEAP_NOISE_MB))
		]
	];
}

/** The soak's rows alone, and its RSS every 5 s (`tsx bench/soak.ts`). */
export function printSoak(soak: Soak) {
	printTable(soakRows(soak));
	if (soak.errors) console.log('\nerrors by kind:', soak.errorsBy);
	console.log('\nRSS per instance as it is, every 5 s (MB; V8 heap within it):');
	for (const r of soak.readings)
		console.log(`  ${r.at.toFixed(0).padStart(4)} s  ${mb(r.rssMb)}  (${mb(r.v8Mb)})`);
}

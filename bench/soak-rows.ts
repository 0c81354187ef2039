// The soak's rows of the bench table. Under load an instance's RSS rises well after the first 10 s
// and not smoothly: V8 sizes its heap to the load (the young generation to its maximum within
// seconds, the old one to a multiple of what survived each full collection), and glibc's allocator
// keeps memory freed inside its arenas. Neither is memory anything still uses, so the figure held to
// "no growth" is what a memory-reducing collection leaves: the live JS heap, and RSS once V8 has
// handed back its unused heap. Raw RSS is reported beside it, with V8's share.
import type { Retained, Soak } from './soak.ts';
import { ok, printTable, type Row } from './table.ts';

/**
 * The most the live heap may gain after 10 s. Runs with no leak moved it by −8.2 to +9.2 MB per
 * instance (what requests in flight at the 10 s reading hold, compiled code); 12 MB is ~2 KB per
 * page load, or ~24 KB per stream, of the default run.
 */
export const HEAP_NOISE_MB = 12;

const mb = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' / ');
const signed = (xs: number[]) => xs.map((g) => (g >= 0 ? '+' : '') + g.toFixed(1)).join(' / ');
const diff = (a: Retained[], b: Retained[], f: (r: Retained) => number) =>
	b.map((r, i) => f(r) - f(a[i]));

export function soakRows(soak: Soak): Row[] {
	const { atStart, at10s, atEnd } = soak.retained;
	const heapGrowth = diff(at10s, atEnd, (r) => r.heapMb);
	const rssGrowth = diff(at10s, atEnd, (r) => r.rssMb);
	const first = soak.readings[0];
	const at10 = soak.readings.find((r) => r.at >= 10) ?? first;
	const last = soak.readings[soak.readings.length - 1];
	return [
		[
			`Soak: ${soak.streams} streams through nginx, 2 instances, ${soak.seconds} s of page loads`,
			`${soak.errors} errors (${soak.ssrRequests} pages, ${soak.notesWritten} notes to both tabs)`,
			'0 errors',
			ok(soak.errors === 0)
		],
		[
			'    live JS heap per instance after 10 s (MB, after GC)',
			`${signed(heapGrowth)} (${mb(at10s.map((r) => r.heapMb))} → ${mb(atEnd.map((r) => r.heapMb))})`,
			`no growth (≤ +${HEAP_NOISE_MB} MB)`,
			ok(heapGrowth.every((g) => g <= HEAP_NOISE_MB))
		],
		[
			'    RSS per instance after a memory-reducing GC: start → 10 s → end (MB)',
			`${mb(atStart.map((r) => r.rssMb))} → ${mb(at10s.map((r) => r.rssMb))} → ${mb(atEnd.map((r) => r.rssMb))} (${signed(rssGrowth)} after 10 s)`,
			'—',
			''
		],
		[
			'    RSS per instance as it is: start → 10 s → end (MB; V8 heap within it)',
			[first, at10, last].map((r) => `${mb(r.rssMb)} (${mb(r.v8Mb)})`).join(' → '),
			'—',
			''
		]
	];
}

/** The soak's rows alone, and its RSS every 5 s (`tsx bench/soak.ts`). */
export function printSoak(soak: Soak) {
	printTable(soakRows(soak));
	console.log('\nRSS per instance as it is, every 5 s (MB; V8 heap within it):');
	for (const r of soak.readings)
		console.log(`  ${r.at.toFixed(0).padStart(4)} s  ${mb(r.rssMb)}  (${mb(r.v8Mb)})`);
}

// P6's rows of the bench table: the relay's retained memory per stream beside its floors.
import type { benchLiveLarge, benchLiveScale } from './live.ts';
import type { Retained } from './memory.ts';
import { ok, type Row } from './table.ts';

const f = (n: number) => n.toFixed(1);
const kb = (r: Retained) => `${f(r.rssKb)} KB RSS, ${f(r.heapKb)} KB heap`;
const opened = (r: Retained, expected: number) =>
	`${r.streams - r.failedToOpen} open, ${r.errors + r.failedToOpen} errors, ${r.firstValues}/${expected} first values`;
const clean = (r: Retained, expected: number) =>
	r.failedToOpen === 0 && r.errors === 0 && r.firstValues === expected;

export function liveRows(
	scale: Awaited<ReturnType<typeof benchLiveScale>>,
	large: Awaited<ReturnType<typeof benchLiveLarge>> | null,
	sessions: number
): Row[] {
	const { relay, floors, client, builtinClient, tabs } = scale;
	const n = relay.streams;
	const half = relay.readings[0].streams;
	const objects = (r: Retained) => `${r.objects?.Request} Request, ${r.objects?.URL} URL`;
	const rows: Row[] = [
		[
			`P6 concurrent live streams (${sessions} sessions × ${tabs} tabs × 2 queries)`,
			opened(relay, scale.expectedFirstValues),
			`${n}, 0 errors`,
			ok(clean(relay, scale.expectedFirstValues))
		],
		[
			`P6 retained per stream, upstream clients included (${half}→${n}, after GC)`,
			kb(relay),
			'≤ 32 KB (stretch ≤ 24)',
			ok(relay.rssKb <= 32)
		],
		['    floor: raw node:http SSE', kb(floors.raw), '—', ''],
		['    floor: a bare SvelteKit SSE endpoint', kb(floors.kit), '—', ''],
		["    floor: that endpoint behind this app's hooks, signed in", kb(floors.kitHooks), '—', ''],
		[
			'    the relay above the bare SvelteKit floor',
			`${f(relay.rssKb - floors.kit.rssKb)} KB RSS, ${f(relay.heapKb - floors.kit.heapKb)} KB heap`,
			'≤ 10 KB',
			ok(relay.rssKb - floors.kit.rssKb <= 10)
		],
		[
			'    raw floor + one upstream client per session, per tab',
			`${f(floors.raw.rssKb + client.rssKb / tabs)} KB RSS`,
			'—',
			''
		],
		[
			`P6 objects alive with ${n} streams open: relay`,
			objects(relay),
			'none per stream',
			// A few are the server's own (caches, config); one per stream would be thousands.
			ok((relay.objects?.Request ?? n) < n / 50 && (relay.objects?.URL ?? n) < n / 50)
		],
		['    the bare SvelteKit endpoint', objects(floors.kit), '—', ''],
		[
			'    one upstream client alone (ws, no compression)',
			`${f(client.rssKb)} KB RSS, ${f(client.heapKb)} KB heap`,
			'—',
			''
		],
		[
			'    ConvexClient on the built-in WebSocket instead',
			`${f(builtinClient.rssKb)} KB RSS, ${f(builtinClient.heapKb)} KB heap`,
			'—',
			''
		]
	];
	if (large)
		rows.push(
			[
				`P6 ${large.sessions} sessions × ${large.tabs} tabs`,
				opened(large.relay, large.expectedFirstValues),
				`${large.sessions * large.tabs}, 0 errors`,
				ok(clean(large.relay, large.expectedFirstValues))
			],
			[
				`    retained per stream (${large.relay.readings[0].streams}→${large.relay.streams})`,
				kb(large.relay),
				'—',
				''
			]
		);
	return rows;
}

// P6's method: what a server retains per open stream. Readings come from the probe preloaded into the
// server (forced full collections, young generation pinned: see MEASURED in stack.ts); the figure is
// the least-squares slope over the second half of the streams, so one-off costs (code, JIT, caches)
// paid by the first ones do not count.
import type { Subscription } from '../src/lib/live-protocol.ts';
import { count } from './count.ts';
import { openStream, type OpenStream } from './sse.ts';

export type Reading = { streams: number; rss: number; heap: number };
export type Retained = {
	streams: number;
	failedToOpen: number;
	errors: number;
	firstValues: number;
	/** KB per stream over the second half. */
	rssKb: number;
	heapKb: number;
	readings: Reading[];
	/** Live objects of these constructors once every stream is open. */
	objects?: Record<string, number>;
	close: () => void;
};

export const SUBS: Subscription[] = [
	['notes:list', {}],
	['users:me', {}]
];

const probe = async (port: number, path: string) =>
	(await fetch(`http://127.0.0.1:${port}${path}`)).json();

const slope = (points: Reading[], y: (r: Reading) => number) => {
	const n = points.length;
	const mx = points.reduce((a, p) => a + p.streams, 0) / n;
	const my = points.reduce((a, p) => a + y(p), 0) / n;
	const num = points.reduce((a, p) => a + (p.streams - mx) * (y(p) - my), 0);
	return num / points.reduce((a, p) => a + (p.streams - mx) ** 2, 0);
};

/**
 * Opens one stream per cookie (a cookie repeated once per tab) in batches, half of them before the
 * first reading, then four readings more; each batch waits for every stream's first values.
 */
export async function retainedPerStream(
	target: { url: string; probePort: number; path?: string },
	cookies: string[],
	countObjects: string[] = []
): Promise<Retained> {
	const values = count();
	const streams: OpenStream[] = [];
	let errors = 0;
	let failedToOpen = 0;
	const open = async (group: string[]) => {
		const opened = group.map((cookie) =>
			openStream(
				target.url,
				cookie,
				SUBS,
				(e) => (e.type === 'update' ? values.add() : errors++),
				target.path
			)
		);
		streams.push(...opened);
		const settled = await Promise.allSettled(opened.map((s) => s.ready));
		failedToOpen += settled.filter((r) => r.status === 'rejected').length;
		await values.reached((streams.length - failedToOpen) * SUBS.length);
	};
	const half = Math.floor(cookies.length / 2);
	for (let i = 0; i < half; i += 500) await open(cookies.slice(i, Math.min(i + 500, half)));
	const readings: Reading[] = [];
	const read = async () =>
		readings.push({ streams: streams.length, ...(await probe(target.probePort, '/memory')) });
	await read();
	for (let b = 1; b <= 4; b++) {
		await open(
			cookies.slice(
				half + Math.floor(((b - 1) * (cookies.length - half)) / 4),
				half + Math.floor((b * (cookies.length - half)) / 4)
			)
		);
		await read();
	}
	const objects = countObjects.length
		? ((await probe(target.probePort, `/objects?names=${countObjects.join(',')}`)) as Record<
				string,
				number
			>)
		: undefined;
	return {
		streams: streams.length,
		failedToOpen,
		errors,
		firstValues: values.value,
		rssKb: slope(readings, (r) => r.rss) / 1024,
		heapKb: slope(readings, (r) => r.heap) / 1024,
		readings,
		objects,
		close: () => streams.forEach((s) => s.close())
	};
}

// The soak: the cluster of tests/cluster/ (nginx from deploy/nginx.conf, two production instances,
// one backend) holding `streams` live streams while wrk sends signed-in page loads through nginx and
// a note is added every second. Passes with no error of any kind and nothing retained growing after
// the first 10 s (soak-rows.ts says what is compared, and why). `tsx bench/soak.ts` runs it alone.
import { balancerUrl } from '../tests/cluster/stack.ts';
import { count } from './count.ts';
import { wrkInBackground } from './load.ts';
import { retained, startCluster, usage, type Reading, type Retained } from './soak-cluster.ts';
import { openStream, type OpenStream } from './sse.ts';
import { appHeaders, signUp } from './stack.ts';

export async function benchSoak(streamCount: number, seconds: number) {
	const cluster = await startCluster();
	try {
		const tabs = 2;
		const users: Awaited<ReturnType<typeof signUp>>[] = [];
		while (users.length < streamCount / tabs) {
			const batch = Math.min(8, streamCount / tabs - users.length);
			users.push(...(await Promise.all(Array.from({ length: batch }, () => signUp(balancerUrl)))));
		}
		const updates = count();
		let streamErrors = 0;
		const streams: OpenStream[] = [];
		for (const user of users) {
			for (let t = 0; t < tabs; t++) {
				const stream = openStream(balancerUrl, user.cookie, [['notes:list', {}]], (e) =>
					e.type === 'update' ? updates.add() : streamErrors++
				);
				stream.ready.catch(() => streamErrors++);
				streams.push(stream);
			}
		}
		await updates.reached(streams.length);
		const opened = updates.value;

		const readings: Reading[] = [];
		const started = Date.now();
		const read = async () => {
			const at = (Date.now() - started) / 1000;
			readings.push({ at, ...(await usage()) });
		};
		await read();
		const atStart = await retained();
		// Every 5 s, RSS as it is; at 10 s, before the forced collection, the retained heap too.
		let at10s: Retained[] = [];
		let ticks = 0;
		let reached10s!: () => void;
		const tenSeconds = new Promise<void>((resolve) => (reached10s = resolve));
		const sampler = setInterval(async () => {
			await read();
			if (++ticks !== 2) return;
			at10s = await retained();
			reached10s();
		}, 5000);

		// A note a second from a rotating user: each reaches that user's two tabs, on any instance.
		let writes = 0;
		let writeErrors = 0;
		const writer = setInterval(() => {
			const user = users[writes++ % users.length];
			fetch(`${balancerUrl}/notes?/create`, {
				method: 'POST',
				headers: {
					...appHeaders(balancerUrl, user.cookie),
					'content-type': 'application/x-www-form-urlencoded',
					'x-sveltekit-action': 'true'
				},
				body: new URLSearchParams({ text: `soak ${writes}` })
			}).then(
				(r) => void (r.ok || writeErrors++),
				() => writeErrors++
			);
		}, 1000);
		const ssr = await wrkInBackground(
			`${balancerUrl}/notes`,
			appHeaders(balancerUrl, users[0].cookie),
			seconds
		);
		clearInterval(writer);
		clearInterval(sampler);
		await read();
		await tenSeconds;
		const atEnd = await retained();
		// Every note written reaches both tabs of its user.
		await updates.reached(opened + writes * tabs, 10_000);
		const missedUpdates = opened + writes * tabs - updates.value;
		streams.forEach((s) => s.close());

		return {
			streams: streams.length,
			seconds,
			ssrRequests: ssr.requests,
			notesWritten: writes,
			errors: streamErrors + ssr.errors + ssr.non2xx + writeErrors + Math.max(0, missedUpdates),
			/** The errors by kind, so that a failed run says where to look. */
			errorsBy: {
				stream: streamErrors,
				socket: ssr.errors,
				non2xx: ssr.non2xx,
				write: writeErrors,
				missedUpdates: Math.max(0, missedUpdates)
			},
			/** Per instance, after a memory-reducing collection: at the start, 10 s in, at the end. */
			retained: { atStart, at10s, atEnd },
			/** RSS and V8's heap as they are, every 5 s, no collection forced. */
			readings
		};
	} finally {
		await cluster.stop();
	}
}

export type Soak = Awaited<ReturnType<typeof benchSoak>>;

if (import.meta.url === `file://${process.argv[1]}`) {
	const { printSoak } = await import('./soak-rows.ts');
	const soak = await benchSoak(
		Number(process.env.BENCH_SOAK_STREAMS ?? 1000),
		Number(process.env.BENCH_SOAK_SECONDS ?? 60)
	);
	printSoak(soak);
}

// P5: update latency through the relay vs a ConvexClient on the same backend, same mutations.
// P6: many concurrent streams on one process. P7: N tabs of one session → 1 upstream subscription.
import { ConvexClient, ConvexHttpClient } from 'convex/browser';
import { api } from '../convex/_generated/api.js';
import { pidListeningOn, rssBytes } from '../tests/support/process.ts';
import { measureClients } from './client-memory.ts';
import { count } from './count.ts';
import { openStream, type OpenStream } from './sse.ts';
import { signUp, startStack } from './stack.ts';

const percentile = (xs: number[], p: number) =>
	[...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

export async function benchLiveLatency(rounds: number) {
	const stack = await startStack(2);
	try {
		const { cookie, jwt } = await signUp(stack.url);
		const direct = new ConvexClient(stack.convexUrl, { logger: false });
		direct.setAuth(async () => jwt);
		const writer = new ConvexHttpClient(stack.convexUrl, { logger: false });
		writer.setAuth(jwt);

		// Both subscribers watch the same query; each round waits until both saw the new note.
		let waiting: {
			text: string;
			start: number;
			relay?: number;
			direct?: number;
			done: () => void;
		} | null = null;
		const seen = (who: 'relay' | 'direct', texts: string[]) => {
			if (waiting && waiting[who] === undefined && texts.includes(waiting.text)) {
				waiting[who] = performance.now() - waiting.start;
				if (waiting.relay !== undefined && waiting.direct !== undefined) waiting.done();
			}
		};
		direct.onUpdate(api.notes.list, {}, (notes) =>
			seen(
				'direct',
				notes.map((n) => n.text)
			)
		);
		const stream = openStream(stack.url, cookie, [['notes:list', {}]], (e) => {
			if (e.type === 'update')
				seen(
					'relay',
					(e.value as { text: string }[]).map((n) => n.text)
				);
		});
		await stream.ready;

		const relay: number[] = [];
		const directMs: number[] = [];
		for (let i = 0; i < rounds; i++) {
			await new Promise<void>((done) => {
				waiting = { text: `round ${i} ${Math.random()}`, start: performance.now(), done };
				void writer.mutation(api.notes.create, { text: waiting.text });
			});
			relay.push(waiting!.relay!);
			directMs.push(waiting!.direct!);
			// Keep the list short, so both paths carry the same small payload all along.
			if (i % 20 === 19)
				for (const n of await writer.query(api.notes.list, {}))
					await writer.mutation(api.notes.remove, { id: n.id });
		}
		stream.close();
		await direct.close();
		return {
			rounds,
			direct: { p50: percentile(directMs, 50), p99: percentile(directMs, 99) },
			relay: { p50: percentile(relay, 50), p99: percentile(relay, 99) },
			addedP50: percentile(relay, 50) - percentile(directMs, 50)
		};
	} finally {
		await stack.stop();
	}
}

/** Least-squares slope of rss over streams. */
function slope(points: { streams: number; rss: number }[]) {
	const n = points.length;
	const mx = points.reduce((a, p) => a + p.streams, 0) / n;
	const my = points.reduce((a, p) => a + p.rss, 0) / n;
	const num = points.reduce((a, p) => a + (p.streams - mx) * (p.rss - my), 0);
	const den = points.reduce((a, p) => a + (p.streams - mx) ** 2, 0);
	return num / den;
}

export async function benchLiveScale(sessions: number, tabs: number) {
	const stack = await startStack(3);
	try {
		// P7 first, on a quiet backend: N tabs of one session on one query.
		const one = await signUp(stack.url);
		const base = await stack.stats();
		const firstValues = count();
		const sameQuery = Array.from({ length: 10 }, () =>
			openStream(stack.url, one.cookie, [['notes:list', {}]], firstValues.add)
		);
		await firstValues.reached(10);
		// A fence: the session's upstream socket carries this query's subscription after any the ten
		// tabs caused, and the backend answers in order, so its first value means they all arrived.
		const fenced = count();
		const fence = openStream(stack.url, one.cookie, [['users:me', {}]], fenced.add);
		await fenced.reached(1);
		const p7 = await stack.stats();
		const p7Result = {
			tabs: 10,
			upstreamConnections: p7.connections - base.connections,
			upstreamSubscriptions: p7.subscriptions - base.subscriptions - 1
		};
		[...sameQuery, fence].forEach((s) => s.close());

		const users: Awaited<ReturnType<typeof signUp>>[] = [];
		for (let i = 0; i < sessions; i++) users.push(await signUp(stack.url));
		const pid = pidListeningOn(stack.port);
		const before = rssBytes(pid);
		const updates = count();
		let errors = 0;
		const streams: OpenStream[] = [];
		/** Opens every tab of `group` and waits until each stream has both first values. */
		const openAll = async (group: typeof users) => {
			const opened = group.flatMap((user) =>
				Array.from({ length: tabs }, () =>
					openStream(
						stack.url,
						user.cookie,
						[
							['notes:list', {}],
							['users:me', {}]
						],
						(e) => {
							if (e.type === 'update') updates.add();
							else errors++;
						}
					)
				)
			);
			streams.push(...opened);
			const settled = await Promise.allSettled(opened.map((s) => s.ready));
			await updates.reached(streams.length * 2);
			return settled.filter((r) => r.status === 'rejected').length;
		};
		// Eight batches, RSS read after each. The growth per stream is the slope through the readings
		// after the first batch: the first streams also pay one-off costs (V8 sizing its young
		// generation, JIT code), and a slope over many readings evens out V8 growing its heap in steps.
		const BATCHES = 8;
		const readings: { streams: number; rss: number }[] = [];
		let failedToOpen = 0;
		for (let b = 0; b < BATCHES; b++) {
			const group = users.slice(
				Math.floor((b * users.length) / BATCHES),
				Math.floor(((b + 1) * users.length) / BATCHES)
			);
			failedToOpen += await openAll(group);
			readings.push({ streams: streams.length, rss: rssBytes(pid) });
		}
		const after = readings[readings.length - 1].rss;
		const expected = streams.length * 2;
		const upstream = await stack.stats();
		streams.forEach((s) => s.close());
		// The breakdown: one session's upstream client alone, in a process of its own.
		const tokens = users.slice(0, 400).map((u) => u.jwt);
		const client = await measureClients(stack.convexUrl, tokens, 'relay');
		const builtinClient = await measureClients(stack.convexUrl, tokens, 'builtin');
		return {
			tabs,
			streams: streams.length,
			failedToOpen,
			updatesReceived: updates.value,
			updatesExpected: expected,
			errors,
			rssGrowthPerStreamKb: slope(readings) / 1024,
			rssReadingsMb: readings.map((r) => ({ streams: r.streams, rss: r.rss / 2 ** 20 })),
			rssGrowthPerStreamAllInKb: (after - before) / 1024 / streams.length,
			upstreamConnections: upstream.connections,
			client,
			builtinClient,
			p7: p7Result
		};
	} finally {
		await stack.stop();
	}
}

// P5: update latency through the relay vs a ConvexClient on the same backend, same mutations.
import { ConvexClient, ConvexHttpClient } from 'convex/browser';
import { api } from '../convex/_generated/api.js';
import { openStream } from './sse.ts';
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

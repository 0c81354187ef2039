import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../live-protocol.ts';
import { Heartbeat, LiveStream } from './stream.ts';

const decoder = new TextDecoder();

/** The frames of one chunk: SSE events as parsed JSON, heartbeats as 'ping'. */
function frames(chunk: Uint8Array): (LiveEvent | 'ping')[] {
	return decoder
		.decode(chunk)
		.split('\n\n')
		.filter(Boolean)
		.map((frame) => (frame === ': ping' ? 'ping' : JSON.parse(frame.split('data: ')[1])));
}

/** Reads the next chunk, or null when the stream has closed. */
async function next(reader: ReadableStreamDefaultReader<Uint8Array>) {
	const { value, done } = await reader.read();
	return done ? null : frames(value);
}

/** Lets the stream's pull and the reader's promises settle; setImmediate is not faked. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Whether `read` is still waiting once the stream has had its chance to answer. */
const waiting = async (read: Promise<unknown>) =>
	(await Promise.race([read, settle().then(() => 'waiting')])) === 'waiting';

const update = (q: number, value: string) => ({ type: 'update', q, value }) as const;

let heartbeat: Heartbeat;
beforeEach(() => {
	vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
	heartbeat = new Heartbeat();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('LiveStream', () => {
	it('sends a pushed update to a waiting reader once, as one SSE frame', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		const reader = stream.body.getReader();
		const read = next(reader);
		await settle();
		stream.push(update(0, 'a'));
		expect(await read).toEqual([update(0, 'a')]);
		expect(await waiting(next(reader))).toBe(true);
	});

	it('buffers nothing itself: a reader that was not reading gets the latest value per query, once', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		for (let i = 0; i < 1000; i++) {
			stream.push(update(0, `a${i}`));
			stream.push(update(1, `b${i}`));
			if (i % 100 === 0) await settle();
		}
		stream.push({ type: 'error', q: 1, message: 'boom' });
		const reader = stream.body.getReader();
		expect(await next(reader)).toEqual([
			update(0, 'a999'),
			{ type: 'error', q: 1, message: 'boom' }
		]);
		expect(await waiting(next(reader))).toBe(true);
	});

	it('sends the final event after what is pending, then closes', async () => {
		const onClose = vi.fn();
		const stream = new LiveStream(onClose, heartbeat);
		stream.push(update(0, 'a'));
		stream.end({ type: 'reauth' });
		const reader = stream.body.getReader();
		expect(await next(reader)).toEqual([update(0, 'a'), { type: 'reauth' }]);
		expect(await next(reader)).toBeNull();
		expect(stream.isClosed).toBe(true);
		expect(onClose).toHaveBeenCalledTimes(1);
	});

	it('wakes a waiting reader to end the stream', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		const reader = stream.body.getReader();
		const read = next(reader);
		await settle();
		stream.end({ type: 'signed-out' });
		expect(await read).toEqual([{ type: 'signed-out' }]);
		expect(await next(reader)).toBeNull();
	});

	it('closes without a final event when ended with null', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		stream.end(null);
		expect(await next(stream.body.getReader())).toBeNull();
	});

	it('ignores pushes and later ends once it has been ended', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		stream.end({ type: 'signed-out' });
		stream.push(update(0, 'late'));
		stream.end({ type: 'reauth' });
		const reader = stream.body.getReader();
		expect(await next(reader)).toEqual([{ type: 'signed-out' }]);
		expect(await next(reader)).toBeNull();
	});

	it('sends a heartbeat comment every 15 seconds, and only then', async () => {
		const stream = new LiveStream(() => {}, heartbeat);
		const reader = stream.body.getReader();
		for (let beat = 0; beat < 2; beat++) {
			const read = next(reader);
			await vi.advanceTimersByTimeAsync(14_999);
			expect(await waiting(read)).toBe(true);
			await vi.advanceTimersByTimeAsync(1);
			expect(await read).toEqual(['ping']);
		}
	});

	it('calls onClose once when the reader cancels, and not again when ended afterwards', async () => {
		const onClose = vi.fn();
		const stream = new LiveStream(onClose, heartbeat);
		const reader = stream.body.getReader();
		void reader.read();
		await settle();
		await reader.cancel();
		expect(onClose).toHaveBeenCalledTimes(1);
		stream.end({ type: 'signed-out' });
		stream.push(update(0, 'late'));
		await settle();
		expect(onClose).toHaveBeenCalledTimes(1);
		expect(stream.isClosed).toBe(true);
	});

	it('calls onClose once when ended here, and not again when the reader cancels afterwards', async () => {
		const onClose = vi.fn();
		const stream = new LiveStream(onClose, heartbeat);
		stream.end({ type: 'signed-out' });
		await settle();
		expect(onClose).toHaveBeenCalledTimes(1);
		await stream.body.cancel();
		expect(onClose).toHaveBeenCalledTimes(1);
	});

	it('beats every open stream from one timer, which stops with the last stream', async () => {
		const streams = [1, 2, 3].map(() => new LiveStream(() => {}, heartbeat));
		expect(vi.getTimerCount()).toBe(1);
		const readers = streams.map((s) => s.body.getReader());
		const reads = readers.map(next);
		await vi.advanceTimersByTimeAsync(15_000);
		expect(await Promise.all(reads)).toEqual([['ping'], ['ping'], ['ping']]);
		streams[0].end(null);
		await readers[1].cancel();
		expect(vi.getTimerCount()).toBe(1);
		streams[2].end(null);
		expect(vi.getTimerCount()).toBe(0);
	});

	it.each([
		['the reader cancels', (stream: LiveStream) => stream.body.cancel()],
		['it is ended here', (stream: LiveStream) => (stream.end(null), settle())]
	])('stops the heartbeat when its only stream stops because %s', async (_, close) => {
		const stream = new LiveStream(() => {}, heartbeat);
		expect(vi.getTimerCount()).toBe(1);
		await close(stream);
		expect(vi.getTimerCount()).toBe(0);
	});
});

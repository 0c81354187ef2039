import { sseFrame, type LiveEvent } from '../../live-protocol.ts';

const HEARTBEAT_MS = 15_000;
const PING = ': ping\n\n';
const encoder = new TextEncoder();

/**
 * One timer for all of a hub's streams, instead of one each: it runs while any stream is open.
 * A stream opened between two beats gets its first ping early, which only costs a few bytes.
 */
export class Heartbeat {
	private streams = new Set<LiveStream>();
	private timer: ReturnType<typeof setInterval> | null = null;

	add(stream: LiveStream) {
		this.streams.add(stream);
		this.timer ??= setInterval(() => {
			for (const s of this.streams) s.beat();
		}, HEARTBEAT_MS);
		// Open sockets keep the process alive, not this timer.
		this.timer.unref?.();
	}

	delete(stream: LiveStream) {
		this.streams.delete(stream);
		if (this.streams.size || !this.timer) return;
		clearInterval(this.timer);
		this.timer = null;
	}
}

/**
 * One tab's Server-Sent Events stream. Only the latest value per query is kept while the browser
 * is slow to read: updates are coalesced, never queued without bound. The stream itself buffers
 * nothing (high-water mark 0): a frame is built only when the response asks for the next chunk.
 */
export class LiveStream {
	readonly body: ReadableStream<Uint8Array>;
	/** Allocated only while something waits to be sent. */
	private pending: Map<number, LiveEvent> | null = null;
	private control: LiveEvent | null = null;
	private heartbeatDue = false;
	private closed = false;
	private wake: (() => void) | null = null;

	/** `onClose` runs once, whether the browser left or the stream was ended here. */
	constructor(
		private onClose: () => void,
		private heartbeat: Heartbeat
	) {
		heartbeat.add(this);
		this.body = new ReadableStream<Uint8Array>(
			{
				pull: (controller) => this.pull(controller),
				cancel: () => this.stop()
			},
			{ highWaterMark: 0 }
		);
	}

	/** A query's latest value or error, replacing any not yet sent. */
	push(event: LiveEvent & { q: number }) {
		this.notify(() => (this.pending ??= new Map()).set(event.q, event));
	}

	/**
	 * Sends `event` (reauth or signed-out) after what is pending, then ends the stream. `onClose` runs
	 * now: what remains is for the response to read.
	 */
	end(event: LiveEvent | null) {
		this.notify(() => {
			this.control = event;
			this.closed = true;
		});
		this.stop();
	}

	/** Called by the heartbeat: a comment goes out with the next chunk, keeping proxies from timing out. */
	beat() {
		this.notify(() => (this.heartbeatDue = true));
	}

	get isClosed() {
		return this.closed;
	}

	private notify(change: () => void) {
		if (this.closed && !this.wake) return;
		change();
		this.wake?.();
		this.wake = null;
	}

	private async pull(controller: ReadableStreamDefaultController<Uint8Array>) {
		while (!this.pending && !this.heartbeatDue && !this.closed) {
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
		let out = '';
		for (const event of this.pending?.values() ?? []) out += sseFrame(event);
		this.pending = null;
		if (this.heartbeatDue) out += PING;
		this.heartbeatDue = false;
		if (this.closed && this.control) out += sseFrame(this.control);
		if (out) controller.enqueue(encoder.encode(out));
		if (this.closed) controller.close();
	}

	private stop() {
		this.closed = true;
		this.heartbeat.delete(this);
		const onClose = this.onClose;
		this.onClose = () => {};
		onClose();
	}
}

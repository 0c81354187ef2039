import { sseFrame, type LiveEvent } from '../../live-protocol.ts';

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

/**
 * One tab's Server-Sent Events stream. Only the latest value per query is kept while the browser
 * is slow to read: updates are coalesced, never queued without bound.
 */
export class LiveStream {
	readonly body: ReadableStream<Uint8Array>;
	private pending = new Map<number, LiveEvent>();
	private control: LiveEvent | null = null;
	private heartbeatDue = false;
	private closed = false;
	private wake: (() => void) | null = null;
	private heartbeat: ReturnType<typeof setInterval>;

	/** `onClose` runs once, whether the browser left or the stream was ended here. */
	constructor(private onClose: () => void) {
		this.heartbeat = setInterval(() => this.notify(() => (this.heartbeatDue = true)), HEARTBEAT_MS);
		this.body = new ReadableStream<Uint8Array>(
			{
				pull: (controller) => this.pull(controller),
				cancel: () => this.stop()
			},
			// One chunk in flight: anything beyond waits in `pending`, where it is coalesced.
			{ highWaterMark: 1 }
		);
	}

	/** A query's latest value or error, replacing any not yet sent. */
	push(event: LiveEvent & { q: number }) {
		this.notify(() => this.pending.set(event.q, event));
	}

	/** Sends `event` (reauth or signed-out) after what is pending, then ends the stream. */
	end(event: LiveEvent | null) {
		this.notify(() => {
			this.control = event;
			this.closed = true;
		});
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
		while (!this.pending.size && !this.heartbeatDue && !this.closed) {
			await new Promise<void>((resolve) => (this.wake = resolve));
		}
		let out = '';
		for (const event of this.pending.values()) out += sseFrame(event);
		this.pending.clear();
		if (this.heartbeatDue) out += ': ping\n\n';
		this.heartbeatDue = false;
		if (this.closed && this.control) out += sseFrame(this.control);
		if (out) controller.enqueue(encoder.encode(out));
		if (this.closed) {
			this.stop();
			controller.close();
		}
	}

	private stop() {
		this.closed = true;
		clearInterval(this.heartbeat);
		const onClose = this.onClose;
		this.onClose = () => {};
		onClose();
	}
}

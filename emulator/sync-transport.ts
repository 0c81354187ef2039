import { WebSocket, type RawData } from 'ws';

/** Well inside the client's 60 s inactivity timeout. */
const PING_INTERVAL_MS = 15_000;

/**
 * A sync-protocol connection's plumbing: one queue for the steps that change what the client
 * tracks, JSON frames out, pings, and closing (with a FatalError when the protocol breaks).
 */
export abstract class SyncTransport {
	protected readonly ws: WebSocket;
	protected closed = false;
	private queue: Promise<void> = Promise.resolve();
	private readonly ping: NodeJS.Timeout;

	// Fields, not parameter properties: `node emulator/run.ts` only strips types.
	constructor(ws: WebSocket) {
		this.ws = ws;
		ws.on('message', (data, isBinary) => this.receive(data, isBinary));
		ws.on('close', () => this.dispose());
		ws.on('error', () => ws.terminate());
		this.ping = setInterval(() => this.send({ type: 'Ping' }), PING_INTERVAL_MS).unref();
	}

	protected abstract receive(data: RawData, isBinary: boolean): void;

	/** What else ends with the connection. */
	protected abstract disposed(): void;

	protected enqueue(step: () => void | Promise<void>) {
		this.queue = this.queue
			.then(() => (this.closed ? undefined : step()))
			.catch((error: unknown) => {
				console.error('[emulator] sync session failed:', error);
				this.fatal('Internal emulator error');
			});
	}

	protected send(message: object) {
		if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
		this.ws.send(JSON.stringify(message));
	}

	protected fatal(error: string) {
		this.send({ type: 'FatalError', error });
		this.close();
	}

	protected close() {
		if (this.closed) return;
		this.ws.close(1000);
		this.dispose();
	}

	private dispose() {
		this.closed = true;
		clearInterval(this.ping);
		this.disposed();
	}
}

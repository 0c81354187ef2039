// For the emulator's specs that check the sync protocol itself, below what a client makes of it.
type Message = Record<string, unknown> & { type: string };

/** A bare sync-protocol connection, for what ConvexClient hides: versions, re-sends, AuthError. */
export class RawSync {
	readonly messages: Message[] = [];
	private readonly socket: WebSocket;
	private readonly taken = new Set<number>();
	private readonly waiters = new Set<() => void>();
	readonly closed: Promise<void>;

	private constructor(socket: WebSocket) {
		this.socket = socket;
		socket.onmessage = (event) => {
			this.messages.push(JSON.parse(String(event.data)) as Message);
			for (const wake of this.waiters) wake();
		};
		this.closed = new Promise((resolve) => socket.addEventListener('close', () => resolve()));
	}

	static async open(url: string, sessionId: string = crypto.randomUUID()): Promise<RawSync> {
		const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/1.48.0/sync`);
		await new Promise((resolve, reject) => {
			socket.onopen = resolve;
			socket.onerror = reject;
		});
		const raw = new RawSync(socket);
		raw.send({
			type: 'Connect',
			sessionId,
			connectionCount: 0,
			lastCloseReason: null,
			clientTs: 0
		});
		return raw;
	}

	send(message: Record<string, unknown> | string): void {
		this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
	}

	/** The oldest message of this type not returned before. */
	async next(type: string, timeoutMs = 5_000): Promise<Message> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const index = this.messages.findIndex((m, i) => m.type === type && !this.taken.has(i));
			if (index !== -1) {
				this.taken.add(index);
				return this.messages[index];
			}
			if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms`);
			await new Promise<void>((resolve) => {
				const wake = () => {
					this.waiters.delete(wake);
					resolve();
				};
				this.waiters.add(wake);
				setTimeout(wake, 50);
			});
		}
	}

	close(): Promise<void> {
		this.socket.close();
		return this.closed;
	}
}

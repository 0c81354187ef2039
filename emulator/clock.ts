/**
 * The emulator's commit timestamps (u64 nanoseconds, like Convex's) and the "something was written"
 * signal subscriptions follow. Any write moves time forward; listeners hear about a burst of writes
 * once, on the next macrotask, so a mutation with ten inserts causes one re-run, not ten.
 */
export class WriteClock {
	private current = BigInt(Date.now()) * 1_000_000n;
	private pending = false;
	private readonly listeners = new Set<() => void>();

	now(): bigint {
		return this.current;
	}

	/** Records a write: returns a timestamp later than every one handed out before. */
	tick(): bigint {
		const wall = BigInt(Date.now()) * 1_000_000n;
		this.current = wall > this.current ? wall : this.current + 1n;
		if (!this.pending) {
			this.pending = true;
			setImmediate(() => {
				this.pending = false;
				for (const listener of this.listeners) listener();
			});
		}
		return this.current;
	}

	/** A reconnecting client may have seen a later time (e.g. from a previous emulator run). */
	observe(ts: bigint): void {
		if (ts > this.current) this.current = ts;
	}

	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

/** Convex puts a u64 on the wire as 8 little-endian bytes in base64. */
export function encodeTs(ts: bigint): string {
	const bytes = Buffer.alloc(8);
	bytes.writeBigUInt64LE(ts);
	return bytes.toString('base64');
}

export function decodeTs(encoded: string): bigint | null {
	const bytes = Buffer.from(encoded, 'base64');
	return bytes.length === 8 ? bytes.readBigUInt64LE() : null;
}

/**
 * A token bucket per key (the client IP for login attempts), in this process's memory: each
 * instance behind a load balancer counts on its own. Convex Auth's per-account lockout is the
 * limit that holds across instances.
 */
export function createRateLimiter(opts: {
	capacity: number;
	refillPerMinute: number;
	maxKeys?: number;
}) {
	const buckets = new Map<string, { tokens: number; at: number }>();
	const perMs = opts.refillPerMinute / 60_000;
	const maxKeys = opts.maxKeys ?? 50_000;

	/** Takes one token for `key`; returns 0 when allowed, else the seconds until one is available. */
	return function take(key: string, now = Date.now()): number {
		const previous = buckets.get(key);
		const tokens = previous
			? Math.min(opts.capacity, previous.tokens + (now - previous.at) * perMs)
			: opts.capacity;
		buckets.delete(key);
		if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
		if (tokens < 1) {
			buckets.set(key, { tokens, at: now });
			return Math.ceil((1 - tokens) / perMs / 1000);
		}
		buckets.set(key, { tokens: tokens - 1, at: now });
		return 0;
	};
}

/**
 * A count that can be awaited: `reached(n)` resolves once it is at least `n`, or after `timeoutMs`
 * (then the caller reads `value` and reports the shortfall). Benchmarks wait for the events they
 * measure, never a fixed time.
 */
export function count() {
	let value = 0;
	const waiters = new Set<{ n: number; resolve: () => void }>();
	return {
		get value() {
			return value;
		},
		add() {
			value++;
			for (const w of waiters) if (value >= w.n) w.resolve();
		},
		reached(n: number, timeoutMs = 60_000) {
			if (value >= n) return Promise.resolve();
			return new Promise<void>((resolve) => {
				const waiter = { n, resolve: () => done() };
				const timer = setTimeout(() => done(), timeoutMs);
				const done = () => {
					clearTimeout(timer);
					waiters.delete(waiter);
					resolve();
				};
				waiters.add(waiter);
			});
		}
	};
}

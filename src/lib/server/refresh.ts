export type Tokens = { token: string; refreshToken: string };
export type RefreshResult =
	| { status: 'refreshed'; tokens: Tokens }
	/** The backend said the refresh token is no good: the session is over. */
	| { status: 'refused' }
	/** Network error or 5xx: nothing is known, so the session is kept. */
	| { status: 'unavailable' };

/** How long a settled refresh is reused for callers still holding the old refresh token (well inside the backend's 10 s reuse window). */
const REUSE_MS = 5_000;

/**
 * One refresh in flight per refresh token in this process. Parallel requests from one browser all
 * carry the same (old) refresh token; without this each would rotate it and all but one would race.
 */
export function createRefresher(call: (refreshToken: string) => Promise<RefreshResult>) {
	const inFlight = new Map<string, Promise<RefreshResult>>();

	return function refresh(refreshToken: string): Promise<RefreshResult> {
		const pending = inFlight.get(refreshToken);
		if (pending) return pending;
		const promise = Promise.resolve()
			.then(() => call(refreshToken))
			.catch((): RefreshResult => ({ status: 'unavailable' }));
		inFlight.set(refreshToken, promise);
		promise.then((result) => {
			// Only a success is worth sharing with late arrivals; a failure is retried on the next request.
			if (result.status === 'refreshed')
				setTimeout(() => inFlight.delete(refreshToken), REUSE_MS).unref?.();
			else inFlight.delete(refreshToken);
		});
		return promise;
	};
}

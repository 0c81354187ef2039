import { api } from '#convex/_generated/api.js';
import { createClient } from './convex.ts';

export type Tokens = { token: string; refreshToken: string };
export type RefreshResult =
	| { status: 'refreshed'; tokens: Tokens }
	/** The backend said the refresh token is no good: the session is over. */
	| { status: 'refused' }
	/** Network error, 5xx or a crash of the function: nothing is known, so the session is kept. */
	| { status: 'unavailable' };

/** Convex Auth's `refreshTokenId|sessionId`, two document ids (letters and digits). */
const REFRESH_TOKEN_SHAPE = /^[0-9a-z]+\|[0-9a-z]+$/i;

/**
 * The refresh call to Convex Auth (`auth:signIn` with a refresh token). Only its explicit answer
 * `{ tokens: null }` (a token unknown, expired, reused or of a deleted session) is a refusal. A
 * failure of the function is not: Convex Auth throws alike for a deployment it cannot run (no
 * `JWT_PRIVATE_KEY`, say) and production redacts the message, so reading any failure as "refused"
 * would let one bad deploy sign everyone out. It also throws for a token it cannot parse, which
 * is why a malformed one is refused here, before the call: no retry could ever make it valid.
 */
export function convexRefresh(fetchFn?: typeof fetch) {
	return async function refreshCall(refreshToken: string): Promise<RefreshResult> {
		if (!REFRESH_TOKEN_SHAPE.test(refreshToken)) return { status: 'refused' };
		try {
			// Anonymous, and with the raw answers: the outcome is read here, not turned into a redirect.
			const { tokens } = await createClient(null, fetchFn).action(api.auth.signIn, {
				refreshToken
			});
			return tokens ? { status: 'refreshed', tokens } : { status: 'refused' };
		} catch {
			return { status: 'unavailable' };
		}
	};
}

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

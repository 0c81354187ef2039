import type { CallResult } from './call-result.ts';

/** A mutation's result and, when it succeeded, the timestamp its writes are visible at. */
export type MutationOutcome = { result: CallResult; ts: bigint | null };

/** Enough for any reconnect window in tests; old entries go first. */
const CAPACITY = 10_000;

/**
 * After a reconnect the client re-sends every mutation it has no answer for, under the same
 * session and request id. Running each (session, request) once, and answering repeats from here,
 * is what keeps a mutation from being applied twice.
 */
export class MutationLog {
	private readonly outcomes = new Map<string, Promise<MutationOutcome>>();

	run(sessionId: string, requestId: number, execute: () => Promise<MutationOutcome>) {
		const key = `${sessionId}\u0000${requestId}`;
		let outcome = this.outcomes.get(key);
		if (outcome === undefined) {
			outcome = execute();
			this.outcomes.set(key, outcome);
			if (this.outcomes.size > CAPACITY) {
				this.outcomes.delete(this.outcomes.keys().next().value as string);
			}
		}
		return outcome;
	}
}

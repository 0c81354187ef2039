import type { UserIdentity } from 'convex/server';
import type { WebSocket } from 'ws';
import { AuthFailure, type TokenVerifier } from './auth.ts';
import type { Backend } from './backend.ts';
import type { WriteClock } from './clock.ts';
import type { MutationLog } from './dedupe.ts';
import type { Changes } from './read-sets.ts';
import type { ClientMessage, Version } from './protocol.ts';
import { SyncTransport } from './sync-transport.ts';

/** What every sync connection shares: the functions, token checks, the write clock and changes. */
export type SyncDeps = {
	backend: Backend;
	verifier: TokenVerifier;
	clock: WriteClock;
	/** What each write changed, for subscriptions to tell whether their queries must run again. */
	changes: Changes;
	mutations: MutationLog;
	/** AuthErrors sent for an expired token, by the token's subject: the relay's tests read it. */
	expiredTokens: Map<string, number>;
};

/**
 * The identity a sync connection runs its functions with: set by Authenticate, checked for expiry
 * the way the backend does it, and ended by an AuthError.
 */
export abstract class IdentifiedConnection extends SyncTransport {
	protected version: Version = { querySet: 0, identity: 0, ts: 0n };
	protected identity: UserIdentity | null = null;
	/** When the token in force expires (ms), null without one or without `exp`. */
	private expiresAt: number | null = null;

	protected readonly deps: SyncDeps;

	constructor(ws: WebSocket, deps: SyncDeps) {
		super(ws);
		this.deps = deps;
	}

	/** Takes the message's token (or none); false when it was refused and the connection ended. */
	protected async identify(message: Extract<ClientMessage, { type: 'Authenticate' }>) {
		if (message.tokenType === 'User') {
			try {
				const { identity, expiresAt } = await this.deps.verifier.verify(String(message.value));
				this.setIdentity(identity, expiresAt);
			} catch (error) {
				if (!(error instanceof AuthFailure)) throw error;
				this.authError(`${error.code}: ${error.message}`, true);
				return false;
			}
		} else if (message.tokenType === 'None') {
			this.setIdentity(null, null);
		} else {
			this.authError('Admin authentication is not supported by the emulator', true);
			return false;
		}
		return true;
	}

	private setIdentity(identity: UserIdentity | null, expiresAt: number | null) {
		this.identity = identity;
		this.expiresAt = expiresAt;
	}

	/**
	 * Like the backend, expiry is not watched on a clock: it is noticed when this client next gets
	 * a transition or runs a function, and then the client is told to fetch a new token. An idle
	 * connection keeps an expired token until then, so only a client that re-authenticates in time
	 * never sees the AuthError.
	 */
	protected tokenExpired(): boolean {
		if (this.expiresAt === null || Date.now() < this.expiresAt) return false;
		const subject = this.identity?.subject ?? '';
		this.deps.expiredTokens.set(subject, (this.deps.expiredTokens.get(subject) ?? 0) + 1);
		this.authError('Unauthenticated: Token expired', false);
		return true;
	}

	/** An AuthError ends the connection, as on the backend; the client reconnects with a new token. */
	private authError(error: string, authUpdateAttempted: boolean) {
		const baseVersion = this.version.identity;
		this.send({ type: 'AuthError', error, baseVersion, authUpdateAttempted });
		this.close();
	}
}

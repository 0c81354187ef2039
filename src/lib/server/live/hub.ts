import type { LiveEvent, Subscription } from '../../live-protocol.ts';
import { detached } from './detached.ts';
import { RelaySession, type Listening, type SessionAuth } from './relay-session.ts';
import { Heartbeat, LiveStream } from './stream.ts';
import type { Upstream } from './upstream.ts';

export type { SessionAuth } from './relay-session.ts';

export type HubOptions = {
	createUpstream: (token: string) => Upstream;
	maxStreamsPerSession: number;
	/** Across all of one account's sessions here, so that many sessions do not multiply the cap above. */
	maxStreamsPerUser: number;
	/** How long a session's upstream client stays open after its last tab leaves. */
	idleMs: number;
};

/** A cap was reached; the message is fit for the client. */
export class TooManyStreams extends Error {
	constructor(readonly per: 'session' | 'user') {
		super(`Too many live streams for this ${per === 'user' ? 'account' : 'session'}`);
	}
}

/**
 * The relay's state in this process: the sessions with open streams (or idle a while), each with
 * its one upstream Convex client (relay-session.ts), and the caps on streams.
 */
export class LiveHub {
	private sessions = new Map<string, RelaySession>();
	private users = new Map<string, Set<RelaySession>>();
	private heartbeat = new Heartbeat();

	constructor(private opts: HubOptions) {}

	/**
	 * Opens a tab's stream over `subs`; answered at once from the session's warm subscriptions.
	 * Runs detached from the calling request, so that the stream, its session's upstream client and
	 * their timers do not keep that request alive (see detached.ts).
	 */
	open(auth: SessionAuth, subs: Subscription[]): LiveStream {
		return detached(() => this.openHere(auth, subs));
	}

	/** Ends every stream and closes every upstream client: the server is shutting down. */
	close() {
		for (const sessionId of [...this.sessions.keys()]) this.endSession(sessionId, null);
	}

	/** Ends every stream of the session and its upstream client (logout, revocation). */
	endSession(sessionId: string, event: LiveEvent | null = { type: 'signed-out' }) {
		const session = this.sessions.get(sessionId);
		if (!session) return;
		this.forget(session);
		for (const stream of session.streams) stream.end(event);
		session.dispose();
	}

	private openHere(auth: SessionAuth, subs: Subscription[]): LiveStream {
		// Checked before a session is made: a refused stream must not open an upstream client.
		const streams = this.sessions.get(auth.sessionId)?.streams.size ?? 0;
		if (streams >= this.opts.maxStreamsPerSession) throw new TooManyStreams('session');
		if (this.streamsOf(auth.userId) >= this.opts.maxStreamsPerUser)
			throw new TooManyStreams('user');
		const session = this.session(auth);
		let listening: Listening = [];
		const stream = new LiveStream(() => this.detach(session, stream, listening), this.heartbeat);
		listening = session.attach(stream, subs);
		return stream;
	}

	private session(auth: SessionAuth): RelaySession {
		const known = this.sessions.get(auth.sessionId);
		if (known) {
			known.reopen(auth);
			return known;
		}
		const session = new RelaySession(auth, this.opts.createUpstream, () =>
			this.endSession(auth.sessionId)
		);
		this.sessions.set(auth.sessionId, session);
		const own = this.users.get(auth.userId) ?? new Set();
		this.users.set(auth.userId, own.add(session));
		return session;
	}

	private detach(session: RelaySession, stream: LiveStream, listening: Listening) {
		if (this.sessions.get(session.auth.sessionId) !== session) return;
		if (!session.detach(stream, listening) || session.streams.size > 0) return;
		session.idle = setTimeout(() => {
			this.forget(session);
			session.dispose();
		}, this.opts.idleMs);
		session.idle.unref?.();
	}

	private streamsOf(userId: string) {
		let count = 0;
		for (const session of this.users.get(userId) ?? []) count += session.streams.size;
		return count;
	}

	private forget(session: RelaySession) {
		const { sessionId, userId } = session.auth;
		this.sessions.delete(sessionId);
		const own = this.users.get(userId);
		own?.delete(session);
		if (own?.size === 0) this.users.delete(userId);
	}
}

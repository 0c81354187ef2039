import type { JSONValue, Value } from 'convex/values';
import type { LiveEvent, Subscription } from '../../live-protocol.ts';
import { detached } from './detached.ts';
import { Heartbeat, LiveStream } from './stream.ts';
import type { Upstream } from './upstream.ts';

export type HubOptions = {
	createUpstream: (token: string) => Upstream;
	maxStreamsPerSession: number;
	/** Across all of one account's sessions here, so that many sessions do not multiply the cap above. */
	maxStreamsPerUser: number;
	/** How long a session's upstream client stays open after its last tab leaves. */
	idleMs: number;
};

/**
 * The session as this request's hooks left it. `refreshAt` is when the hooks would refresh its JWT:
 * the tabs are asked to reopen then, so that their requests do the refreshing.
 */
export type SessionAuth = {
	sessionId: string;
	userId: string;
	token: string;
	expiresAt: number;
	refreshAt: number;
};

type Listener = { stream: LiveStream; q: number };
type Result =
	{ type: 'update'; value: JSONValue } | { type: 'error'; message: string; data?: JSONValue };
type Sub = { unsubscribe: () => void; last: Result | null; listeners: Set<Listener> };
type Session = {
	upstream: Upstream;
	auth: SessionAuth;
	streams: Set<LiveStream>;
	subs: Map<string, Sub>;
	idle: ReturnType<typeof setTimeout> | null;
	reauth: ReturnType<typeof setTimeout> | null;
	/** The JWT expiry a reauth was already asked for: a reopen that could not refresh it gets no second one. */
	reauthAskedFor: number;
};

/** A cap was reached; the message is fit for the client. */
export class TooManyStreams extends Error {
	constructor(readonly per: 'session' | 'user') {
		super(`Too many live streams for this ${per === 'user' ? 'account' : 'session'}`);
	}
}

/**
 * The relay's state in this process: one upstream Convex client per session, shared by its tabs,
 * and one upstream subscription per distinct (function, args) within a session.
 */
export class LiveHub {
	private sessions = new Map<string, Session>();
	private users = new Map<string, Set<Session>>();
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

	private openHere(auth: SessionAuth, subs: Subscription[]): LiveStream {
		// Checked before session(): a refused stream must not open an upstream client.
		const streams = this.sessions.get(auth.sessionId)?.streams.size ?? 0;
		if (streams >= this.opts.maxStreamsPerSession) throw new TooManyStreams('session');
		if (this.streamsOf(auth.userId) >= this.opts.maxStreamsPerUser)
			throw new TooManyStreams('user');
		const session = this.session(auth);
		const listeners: [string, Listener][] = [];
		const stream = new LiveStream(
			() => this.detach(auth.sessionId, stream, listeners),
			this.heartbeat
		);
		session.streams.add(stream);
		subs.forEach(([name, args], q) => {
			const key = JSON.stringify([name, args]);
			const sub = session.subs.get(key) ?? this.subscribe(auth.sessionId, session, key, name, args);
			const listener = { stream, q };
			sub.listeners.add(listener);
			listeners.push([key, listener]);
			if (sub.last) stream.push({ ...sub.last, q });
		});
		return stream;
	}

	/** Ends every stream of the session and its upstream client (logout, revocation). */
	endSession(sessionId: string, event: LiveEvent | null = { type: 'signed-out' }) {
		const session = this.sessions.get(sessionId);
		if (!session) return;
		this.forget(session);
		for (const stream of session.streams) stream.end(event);
		this.dispose(session);
	}

	/** Numbers for tests and benchmarks. */
	stats() {
		let subscriptions = 0;
		let streams = 0;
		for (const s of this.sessions.values()) {
			subscriptions += s.subs.size;
			streams += s.streams.size;
		}
		return { sessions: this.sessions.size, streams, subscriptions };
	}

	private session(auth: SessionAuth): Session {
		let session = this.sessions.get(auth.sessionId);
		if (!session) {
			session = {
				upstream: this.opts.createUpstream(auth.token),
				auth,
				streams: new Set(),
				subs: new Map(),
				idle: null,
				reauth: null,
				reauthAskedFor: 0
			};
			this.sessions.set(auth.sessionId, session);
			const own = this.users.get(auth.userId) ?? new Set();
			this.users.set(auth.userId, own.add(session));
		} else if (auth.expiresAt > session.auth.expiresAt) {
			// A newer JWT (refreshed by this request's hooks): the shared client follows it.
			session.auth = auth;
			session.upstream.setToken(auth.token);
		}
		if (session.idle) clearTimeout(session.idle);
		session.idle = null;
		this.scheduleReauth(session);
		return session;
	}

	private subscribe(
		sessionId: string,
		session: Session,
		key: string,
		name: string,
		args: JSONValue
	): Sub {
		const sub: Sub = { unsubscribe: () => {}, last: null, listeners: new Set() };
		const deliver = (result: Result) => {
			sub.last = result;
			for (const { stream, q } of sub.listeners) stream.push({ ...result, q });
		};
		sub.unsubscribe = session.upstream.subscribe(
			name,
			args as Record<string, Value>,
			(value) => deliver({ type: 'update', value }),
			(message, data) => {
				const code = (data as { code?: unknown } | undefined)?.code;
				if (code === 'UNAUTHENTICATED') return this.unauthenticated(sessionId, session);
				deliver({ type: 'error', message, data });
			}
		);
		session.subs.set(key, sub);
		return sub;
	}

	/**
	 * The backend no longer accepts this session. With a JWT still unexpired that means the session
	 * was revoked (sign-out here or on another instance); otherwise the tabs reopen to refresh it.
	 */
	private unauthenticated(sessionId: string, session: Session) {
		if (session.auth.expiresAt > Date.now()) return this.endSession(sessionId);
		for (const stream of session.streams) stream.end({ type: 'reauth' });
	}

	private scheduleReauth(session: Session) {
		if (session.reauth) clearTimeout(session.reauth);
		session.reauth = null;
		const { expiresAt, refreshAt } = session.auth;
		if (session.reauthAskedFor === expiresAt) return;
		session.reauth = setTimeout(
			() => {
				session.reauthAskedFor = expiresAt;
				for (const stream of session.streams) stream.end({ type: 'reauth' });
			},
			Math.max(0, refreshAt - Date.now())
		);
		session.reauth.unref?.();
	}

	private detach(sessionId: string, stream: LiveStream, listeners: [string, Listener][]) {
		const session = this.sessions.get(sessionId);
		if (!session || !session.streams.delete(stream)) return;
		for (const [key, listener] of listeners) {
			const sub = session.subs.get(key);
			if (!sub) continue;
			sub.listeners.delete(listener);
			if (sub.listeners.size === 0) {
				sub.unsubscribe();
				session.subs.delete(key);
			}
		}
		if (session.streams.size === 0) {
			session.idle = setTimeout(() => {
				this.forget(session);
				this.dispose(session);
			}, this.opts.idleMs);
			session.idle.unref?.();
		}
	}

	private streamsOf(userId: string) {
		let count = 0;
		for (const session of this.users.get(userId) ?? []) count += session.streams.size;
		return count;
	}

	private forget(session: Session) {
		const { sessionId, userId } = session.auth;
		this.sessions.delete(sessionId);
		const own = this.users.get(userId);
		own?.delete(session);
		if (own?.size === 0) this.users.delete(userId);
	}

	private dispose(session: Session) {
		if (session.idle) clearTimeout(session.idle);
		if (session.reauth) clearTimeout(session.reauth);
		for (const sub of session.subs.values()) sub.unsubscribe();
		session.subs.clear();
		void session.upstream.close();
	}
}

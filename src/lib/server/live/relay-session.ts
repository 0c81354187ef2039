import type { JSONValue, Value } from 'convex/values';
import type { Subscription } from '../../live-protocol.ts';
import type { LiveStream } from './stream.ts';
import type { Upstream } from './upstream.ts';

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
/** What a stream listens to: the subscription's key, and where it wants the values. */
export type Listening = [string, Listener][];
type Result =
	{ type: 'update'; value: JSONValue } | { type: 'error'; message: string; data?: JSONValue };
type Sub = { unsubscribe: () => void; last: Result | null; listeners: Set<Listener> };

/**
 * One session's share of the relay: its upstream Convex client, used by all its tabs' streams, and
 * one upstream subscription per distinct (function, args) among them.
 */
export class RelaySession {
	readonly upstream: Upstream;
	readonly streams = new Set<LiveStream>();
	/** Set while no stream is open: the client is kept this long for the session's next tab. */
	idle: ReturnType<typeof setTimeout> | null = null;
	private subs = new Map<string, Sub>();
	private reauth: ReturnType<typeof setTimeout> | null = null;
	/** The JWT expiry a reauth was already asked for: a reopen that could not refresh it gets no second one. */
	private reauthAskedFor = 0;

	constructor(
		public auth: SessionAuth,
		createUpstream: (token: string) => Upstream,
		/** The backend revoked the session (sign-out here or on another instance). */
		private revoked: () => void
	) {
		this.upstream = createUpstream(auth.token);
		this.scheduleReauth();
	}

	/** A tab of this session opens: a newer JWT (refreshed by its request's hooks) is followed. */
	reopen(auth: SessionAuth) {
		if (auth.expiresAt > this.auth.expiresAt) {
			this.auth = auth;
			this.upstream.setToken(auth.token);
		}
		if (this.idle) clearTimeout(this.idle);
		this.idle = null;
		this.scheduleReauth();
	}

	/** Adds `stream` over `subs`, answered at once from the subscriptions already warm. */
	attach(stream: LiveStream, subs: Subscription[]): Listening {
		this.streams.add(stream);
		return subs.map(([name, args], q) => {
			const key = JSON.stringify([name, args]);
			const sub = this.subs.get(key) ?? this.subscribe(key, name, args);
			const listener = { stream, q };
			sub.listeners.add(listener);
			if (sub.last) stream.push({ ...sub.last, q });
			return [key, listener];
		});
	}

	/** Removes `stream`, unsubscribing upstream what no other stream uses; false if it was not here. */
	detach(stream: LiveStream, listening: Listening): boolean {
		if (!this.streams.delete(stream)) return false;
		for (const [key, listener] of listening) {
			const sub = this.subs.get(key);
			if (!sub) continue;
			sub.listeners.delete(listener);
			if (sub.listeners.size === 0) {
				sub.unsubscribe();
				this.subs.delete(key);
			}
		}
		return true;
	}

	/** Stops the timers, the subscriptions and the upstream client. */
	dispose() {
		if (this.idle) clearTimeout(this.idle);
		if (this.reauth) clearTimeout(this.reauth);
		for (const sub of this.subs.values()) sub.unsubscribe();
		this.subs.clear();
		void this.upstream.close();
	}

	private subscribe(key: string, name: string, args: JSONValue): Sub {
		const sub: Sub = { unsubscribe: () => {}, last: null, listeners: new Set() };
		const deliver = (result: Result) => {
			sub.last = result;
			for (const { stream, q } of sub.listeners) stream.push({ ...result, q });
		};
		sub.unsubscribe = this.upstream.subscribe(
			name,
			args as Record<string, Value>,
			(value) => deliver({ type: 'update', value }),
			(message, data) => {
				const code = (data as { code?: unknown } | undefined)?.code;
				if (code === 'UNAUTHENTICATED') return this.unauthenticated();
				deliver({ type: 'error', message, data });
			}
		);
		this.subs.set(key, sub);
		return sub;
	}

	/**
	 * The backend no longer accepts this session. With a JWT still unexpired that means the session
	 * was revoked; otherwise the tabs reopen to refresh it.
	 */
	private unauthenticated() {
		if (this.auth.expiresAt > Date.now()) return this.revoked();
		for (const stream of this.streams) stream.end({ type: 'reauth' });
	}

	private scheduleReauth() {
		if (this.reauth) clearTimeout(this.reauth);
		this.reauth = null;
		const { expiresAt, refreshAt } = this.auth;
		if (this.reauthAskedFor === expiresAt) return;
		this.reauth = setTimeout(
			() => {
				this.reauthAskedFor = expiresAt;
				for (const stream of this.streams) stream.end({ type: 'reauth' });
			},
			Math.max(0, refreshAt - Date.now())
		);
		this.reauth.unref?.();
	}
}

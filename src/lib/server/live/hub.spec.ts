import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JSONValue } from 'convex/values';
import type { LiveEvent, Subscription } from '../../live-protocol.ts';
import { LiveHub, TooManyStreams, type HubOptions } from './hub.ts';
import type { LiveStream } from './stream.ts';
import type { Upstream } from './upstream.ts';

/** Lets pulls and reads settle; setImmediate is not faked. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A fake Convex client: records subscriptions, tokens and closes; the test emits into it. */
function fakeUpstream(token: string) {
	type Sub = { key: string; callbacks: Parameters<Upstream['subscribe']> };
	const subs: Sub[] = [];
	const deliver = async (to: Subscription, call: (sub: Sub) => void) => {
		const found = subs.filter((s) => s.key === JSON.stringify(to));
		if (!found.length) throw new Error(`no upstream subscription to ${to[0]}`);
		found.forEach(call);
		await settle();
	};
	const upstream = {
		token,
		subscribeCalls: 0,
		tokens: [] as (string | null)[],
		closes: 0,
		active: () => subs.map((s) => JSON.parse(s.key) as Subscription),
		emit: (to: Subscription, value: JSONValue) => deliver(to, (s) => s.callbacks[2](value)),
		fail: (to: Subscription, message: string, data?: JSONValue) =>
			deliver(to, (s) => s.callbacks[3](message, data)),
		subscribe(...callbacks) {
			upstream.subscribeCalls++;
			const sub = { key: JSON.stringify(callbacks.slice(0, 2)), callbacks };
			subs.push(sub);
			return () => subs.includes(sub) && subs.splice(subs.indexOf(sub), 1);
		},
		setToken: (next) => void upstream.tokens.push(next),
		close: async () => void upstream.closes++
	} satisfies Upstream & Record<string, unknown>;
	return upstream;
}

const NOW = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;
const A: Subscription = ['notes:list', {}];
const B: Subscription = ['users:me', {}];
const auth = (id = 's1', expiresAt = NOW + HOUR, token = `jwt-${id}`, userId = 'u1') => ({
	sessionId: id,
	userId,
	token,
	expiresAt,
	refreshAt: expiresAt - 60_000
});
const update = (q: number, value: JSONValue) => ({ type: 'update', q, value });
/** What a tab has seen once its stream ended with `type`. */
const ended = (type: LiveEvent['type']) => ({ events: [{ type }], closed: true });

function setup(options: Partial<HubOptions> = {}) {
	const upstreams: ReturnType<typeof fakeUpstream>[] = [];
	const hub = new LiveHub({
		createUpstream: (token) => upstreams[upstreams.push(fakeUpstream(token)) - 1],
		maxStreamsPerSession: 4,
		maxStreamsPerUser: 100,
		idleMs: 30_000,
		...options
	});
	/** What the hub holds, seen from its upstream side: clients still open, subscriptions still made. */
	const held = () => ({
		sessions: upstreams.filter((u) => u.closes === 0).length,
		subscriptions: upstreams.reduce((n, u) => n + u.active().length, 0)
	});
	return { hub, upstreams, up: (i = 0) => upstreams[i], held };
}

/** A tab reading its stream in the background: the events so far, and whether it has closed. */
function listen(stream: LiveStream) {
	const reader = stream.body.getReader();
	const tab = { events: [] as LiveEvent[], closed: false, reader };
	void (async () => {
		for (let r = await reader.read(); !r.done; r = await reader.read()) {
			const lines = new TextDecoder().decode(r.value).match(/^data: .*$/gm) ?? [];
			tab.events.push(...lines.map((line) => JSON.parse(line.slice(6))));
		}
		tab.closed = true;
	})();
	return tab;
}

beforeEach(() => {
	vi.useFakeTimers({
		toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
	});
	vi.setSystemTime(NOW);
});
afterEach(() => {
	vi.useRealTimers();
});

describe('LiveHub', () => {
	it('shares one upstream client per session and one subscription per query among its streams', () => {
		const { hub, upstreams, held } = setup();
		for (let i = 0; i < 3; i++) hub.open(auth('s1'), [A]);
		hub.open(auth('s2'), [A]);
		expect(upstreams.map((u) => u.token)).toEqual(['jwt-s1', 'jwt-s2']);
		expect(upstreams.map((u) => u.active())).toEqual([[A], [A]]);
		expect(held()).toEqual({ sessions: 2, subscriptions: 2 });
	});

	it('subscribes separately to one function with different args', () => {
		const { hub, up, held } = setup();
		const mine: Subscription = ['notes:list', { mine: true }];
		hub.open(auth(), [A]);
		hub.open(auth(), [mine, A]);
		expect(up().active()).toEqual([A, mine]);
		expect(held()).toEqual({ sessions: 1, subscriptions: 2 });
	});

	it('delivers an upstream value to every stream subscribed to it under that stream’s own index', async () => {
		const { hub, up } = setup();
		const both = listen(hub.open(auth(), [A, B]));
		const onlyB = listen(hub.open(auth(), [B]));
		await up().emit(B, 'Ada');
		await up().emit(A, ['note']);
		expect(both.events).toEqual([update(1, 'Ada'), update(0, ['note'])]);
		expect(onlyB.events).toEqual([update(0, 'Ada')]);
	});

	it('answers a stream opened after a value arrived with the latest value at once, without subscribing again', async () => {
		const { hub, up } = setup();
		hub.open(auth(), [A]);
		await up().emit(A, 'old');
		await up().emit(A, 'latest');
		const late = listen(hub.open(auth(), [B, A]));
		await settle();
		expect(late.events).toEqual([update(1, 'latest')]);
		expect(up().subscribeCalls).toBe(2);
	});

	it('detaches a cancelled stream, unsubscribing upstream only the queries no other stream uses', async () => {
		const { hub, up, held } = setup();
		const first = listen(hub.open(auth(), [A, B]));
		await listen(hub.open(auth(), [A])).reader.cancel();
		expect(up().active()).toEqual([A, B]);
		expect(held()).toEqual({ sessions: 1, subscriptions: 2 });
		await first.reader.cancel();
		expect(up().active()).toEqual([]);
		expect(held()).toEqual({ sessions: 1, subscriptions: 0 });
	});

	it('keeps an idle upstream client idleMs for the next stream of its session, then closes it', async () => {
		const { hub, upstreams, up, held } = setup();
		await listen(hub.open(auth(), [A])).reader.cancel();
		await vi.advanceTimersByTimeAsync(29_999);
		await listen(hub.open(auth(), [A])).reader.cancel();
		await vi.advanceTimersByTimeAsync(29_999);
		expect(upstreams).toHaveLength(1);
		expect(up().closes).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(up().closes).toBe(1);
		expect(held()).toEqual({ sessions: 0, subscriptions: 0 });
	});

	it('coalesces 1000 updates for a reader that does not read into the latest value', async () => {
		const { hub, up } = setup();
		const stream = hub.open(auth(), [A]);
		for (let i = 0; i < 1000; i++) await up().emit(A, i);
		const tab = listen(stream);
		await settle();
		expect(tab.events.length).toBeLessThanOrEqual(2);
		expect(tab.events.at(-1)).toEqual(update(0, 999));
	});

	it('refuses a stream beyond maxStreamsPerSession with TooManyStreams', async () => {
		const { hub } = setup({ maxStreamsPerSession: 2 });
		const first = listen(hub.open(auth(), [A]));
		hub.open(auth(), [A]);
		expect(() => hub.open(auth(), [A])).toThrow(TooManyStreams);
		expect(() => hub.open(auth(), [A])).toThrow('Too many live streams for this session');
		// The refused ones took no place: one leaving frees exactly one.
		await first.reader.cancel();
		hub.open(auth(), [A]);
		expect(() => hub.open(auth(), [A])).toThrow(TooManyStreams);
	});

	it('refuses a stream beyond maxStreamsPerUser across that user’s sessions, without a new upstream client', async () => {
		const { hub, upstreams, held } = setup({ maxStreamsPerSession: 2, maxStreamsPerUser: 3 });
		const asU1 = (session: string) => auth(session, NOW + HOUR, `jwt-${session}`, 'u1');
		hub.open(asU1('s1'), [A]);
		const last = listen(hub.open(asU1('s1'), [A]));
		hub.open(asU1('s2'), [A]);
		const refused = () => hub.open(asU1('s3'), [A]);
		expect(refused).toThrow(expect.objectContaining({ per: 'user' }));
		expect(refused).toThrow('Too many live streams for this account');
		expect(upstreams).toHaveLength(2);
		// Another account is not affected; a stream leaving or a session ending frees its places.
		hub.open(auth('s4', NOW + HOUR, 'jwt-s4', 'u2'), [A]);
		await last.reader.cancel();
		hub.open(asU1('s3'), [A]);
		expect(refused).toThrow(TooManyStreams);
		hub.endSession('s1');
		hub.open(asU1('s3'), [A]);
		expect(held()).toEqual({ sessions: 3, subscriptions: 3 });
	});

	it('ends every stream of the session with signed-out and releases its upstream client on endSession', async () => {
		const { hub, up, held } = setup();
		const tabs = [listen(hub.open(auth(), [A])), listen(hub.open(auth(), [A, B]))];
		const other = listen(hub.open(auth('s2'), [A]));
		hub.endSession('s1');
		await settle();
		expect(tabs).toMatchObject([ended('signed-out'), ended('signed-out')]);
		expect(up(0)).toMatchObject({ closes: 1, subscribeCalls: 2 });
		expect(up(0).active()).toEqual([]);
		await up(1).emit(A, 'still live');
		expect(other).toMatchObject({ events: [update(0, 'still live')], closed: false });
		expect(held()).toEqual({ sessions: 1, subscriptions: 1 });
	});

	it('closes every stream, without a final event, and every upstream client on close', async () => {
		const { hub, upstreams, held } = setup();
		const tabs = [listen(hub.open(auth('s1'), [A])), listen(hub.open(auth('s2'), [A, B]))];
		hub.close();
		await settle();
		expect(tabs).toMatchObject([
			{ events: [], closed: true },
			{ events: [], closed: true }
		]);
		expect(upstreams.map((u) => [u.closes, u.active()])).toEqual([
			[1, []],
			[1, []]
		]);
		expect(held()).toEqual({ sessions: 0, subscriptions: 0 });
	});

	it('ends the session with signed-out when upstream refuses a JWT that has not expired', async () => {
		const { hub, up } = setup();
		const tab = listen(hub.open(auth(), [A, B]));
		await up().fail(A, 'Unauthenticated', { code: 'UNAUTHENTICATED' });
		expect(tab).toMatchObject(ended('signed-out'));
		expect(up().closes).toBe(1);
		expect(up().active()).toEqual([]);
	});

	it('asks the streams to reauth when upstream refuses an expired JWT, and keeps the session', async () => {
		const { hub, upstreams, up } = setup();
		const tab = listen(hub.open(auth(), [A]));
		vi.setSystemTime(NOW + HOUR);
		await up().fail(A, 'Unauthenticated', { code: 'UNAUTHENTICATED' });
		expect(tab).toMatchObject(ended('reauth'));
		const reopened = listen(hub.open(auth('s1', NOW + 2 * HOUR, 'jwt-fresh'), [A]));
		await up().emit(A, 'after');
		expect(reopened.events).toEqual([update(0, 'after')]);
		expect(upstreams).toHaveLength(1);
		expect(up()).toMatchObject({ closes: 0, tokens: ['jwt-fresh'] });
	});

	it('turns any other upstream error into an error event for that query alone', async () => {
		const { hub, up } = setup();
		const tab = listen(hub.open(auth(), [A, B]));
		await up().fail(A, 'Server Error', { code: 'FORBIDDEN' });
		await up().emit(B, 'me');
		const error = { type: 'error', q: 0, message: 'Server Error', data: { code: 'FORBIDDEN' } };
		expect(tab).toMatchObject({ events: [error, update(1, 'me')], closed: false });
		expect(up().closes).toBe(0);
	});

	it('moves the shared client to a newer token and ignores older or equal ones', () => {
		const { hub, upstreams, up } = setup();
		hub.open(auth('s1', NOW + HOUR, 'jwt-1'), [A]);
		hub.open(auth('s1', NOW + 2 * HOUR, 'jwt-2'), [A]);
		hub.open(auth('s1', NOW + HOUR, 'jwt-old'), [A]);
		hub.open(auth('s1', NOW + 2 * HOUR, 'jwt-same-expiry'), [A]);
		expect(upstreams).toHaveLength(1);
		expect(up().tokens).toEqual(['jwt-2']);
	});

	it('asks every stream of the session to reauth when its JWT is due for refresh', async () => {
		const { hub } = setup();
		const tabs = [listen(hub.open(auth(), [A])), listen(hub.open(auth(), [B]))];
		const later = listen(hub.open(auth('s2', NOW + 2 * HOUR), [A]));
		await vi.advanceTimersByTimeAsync(HOUR - 60_001);
		expect(tabs.map((t) => t.closed)).toEqual([false, false]);
		await vi.advanceTimersByTimeAsync(1);
		await settle();
		expect(tabs).toMatchObject([ended('reauth'), ended('reauth')]);
		expect(later).toMatchObject({ events: [], closed: false });
	});

	it('does not ask again for the same JWT when the reopened tab could not refresh it', async () => {
		const { hub } = setup();
		const first = listen(hub.open(auth(), [A]));
		await vi.advanceTimersByTimeAsync(HOUR - 60_000);
		await settle();
		expect(first).toMatchObject(ended('reauth'));
		// The backend was down: the reopening request still carries the same JWT.
		const reopened = listen(hub.open(auth(), [A]));
		await vi.advanceTimersByTimeAsync(10_000);
		await settle();
		expect(reopened).toMatchObject({ events: [], closed: false });
	});
});

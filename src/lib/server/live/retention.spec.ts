import { AsyncLocalStorage } from 'node:async_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { keepStartContext } from './detached.ts';
import { LiveHub, TooManyStreams } from './hub.ts';
import { convexUpstream } from './upstream.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// As the server's `init` hook does, before any request.
keepStartContext();

/** Stands in for SvelteKit's request store: the RequestEvent, with its Request, URL and cookies. */
const requestStore = new AsyncLocalStorage<{ request: Request; url: URL; cookies: object }>();

/** Runs `open` inside a request of its own, as the /live route does; nothing else keeps the request. */
async function openInRequest<T>(open: () => T) {
	const request = new Request('http://app.test/live?q=[]', { headers: { cookie: 'a=b' } });
	const event = { request, url: new URL(request.url), cookies: { get: () => 'b' } };
	const stream = await requestStore.run(event, async () => {
		await Promise.resolve();
		return open();
	});
	return { stream, held: new WeakRef(request) };
}

describe('an open live stream', () => {
	it('keeps neither its request nor anything in the request’s async context alive', async () => {
		// A real upstream client (its socket, reconnect timers and promises), to a port nobody serves.
		const hub = new LiveHub({
			createUpstream: (token) => convexUpstream('http://127.0.0.1:9', token),
			maxStreamsPerSession: 1,
			maxStreamsPerUser: 4,
			idleMs: 30_000
		});
		const hour = Date.now() + 3_600_000;
		const auth = { sessionId: 's', userId: 'u', token: 'jwt', expiresAt: hour, refreshAt: hour };
		const { stream, held } = await openInRequest(() => hub.open(auth, [['notes:list', {}]]));
		// The response reads it from outside the request, as adapter-node does.
		const reader = stream.body.getReader();
		void reader.read();
		await new Promise((resolve) => setImmediate(resolve));
		gc();
		await new Promise((resolve) => setImmediate(resolve));
		gc();
		try {
			// The stream is still open and held by the hub: it takes the session's one place.
			expect(() => hub.open(auth, [['notes:list', {}]])).toThrow(TooManyStreams);
			expect(held.deref()).toBeUndefined();
		} finally {
			hub.close();
		}
	});
});

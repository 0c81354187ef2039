// The live relay, an optional part (docs/live.md): `/live` streams the allow-listed queries of a
// page to its tab over one SSE connection. Delete this folder, src/routes/live/ and
// src/lib/live*.ts, and the `hub` calls in logout and the session list, to remove it.
import { dev } from '$app/env';
import { error, json, type RequestEvent } from '@sveltejs/kit';
import { decodeSubscriptions } from '../../live-protocol.ts';
import { config } from '../config.ts';
import { isSameOriginRead } from '../csrf.ts';
import { refreshAt } from '../tokens.ts';
import { LiveHub, TooManyStreams } from './hub.ts';
import { isLiveReadable, refusal } from './registry.ts';
import { convexUpstream } from './upstream.ts';

export { keepStartContext } from './detached.ts';

/** This process's relay: one per server instance; streams never depend on reaching a particular one. */
export const hub = new LiveHub({
	createUpstream: (token) => convexUpstream(config.convexUrl, token),
	maxStreamsPerSession: 16,
	maxStreamsPerUser: 32,
	idleMs: 30_000
});

// Once the server has stopped taking requests, the upstream sockets must not keep the process alive.
process.once('sveltekit:shutdown', () => hub.close());

/** `GET /live`: one Server-Sent Events stream per tab, multiplexing every live query on its page. */
export function openLiveStream({ request, locals, url }: RequestEvent): Response {
	if (!isSameOriginRead(request, url.origin, config.trustedOrigins))
		error(403, 'Cross-site stream refused');
	const { user, session, token } = locals;
	if (!user || !session || !token) error(401, 'Sign in to receive live data');
	const subs = decodeSubscriptions(url.searchParams.get('q'));
	if (!subs) error(400, 'Expected q=[[functionName, args], …]');
	const refused = subs.find(
		([name, args]) => !isLiveReadable(name, args as Record<string, unknown>)
	);
	if (refused) {
		const message = refusal(refused[0], dev);
		if (dev) console.error(`[live] ${message}`);
		// A refusal stands until the code changes: the browser shows it and does not retry.
		return json({ message }, { status: 403 });
	}
	const auth = {
		sessionId: session.id,
		userId: user.id,
		token,
		expiresAt: session.expiresAt,
		refreshAt: refreshAt(session)
	};
	try {
		const stream = hub.open(auth, subs);
		// Reverse proxies must pass events through as they come.
		const headers = {
			'content-type': 'text/event-stream; charset=utf-8',
			'x-accel-buffering': 'no'
		};
		return new Response(stream.body, { headers });
	} catch (e) {
		if (e instanceof TooManyStreams) error(429, e.message);
		throw e;
	}
}

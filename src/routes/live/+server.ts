import { dev } from '$app/env';
import { error, json } from '@sveltejs/kit';
import { decodeSubscriptions } from '#lib/live-protocol.ts';
import { config } from '#lib/server/config.ts';
import { isSameOriginRead } from '#lib/server/csrf.ts';
import { hub } from '#lib/server/live/index.ts';
import { TooManyStreams } from '#lib/server/live/hub.ts';
import { isLiveReadable, refusal } from '#lib/server/live/registry.ts';
import { NO_STORE } from '#lib/server/security-headers.ts';
import { verify } from '#lib/server/session.ts';
import { refreshAt } from '#lib/server/tokens.ts';
import type { RequestHandler } from './$types';

/** One Server-Sent Events stream per tab, multiplexing every live query on its page. */
export const GET = (async ({ request, locals, url }) => {
	if (!isSameOriginRead(request, url.origin, config.trustedOrigins))
		error(403, 'Cross-site stream refused');
	if (!locals.token) error(401, 'Sign in to receive live data');
	const subs = decodeSubscriptions(url.searchParams.get('q'));
	if (!subs) error(400, 'Expected q=[[functionName, args], …]');
	const refused = subs.find(
		([name, args]) => !isLiveReadable(name, args as Record<string, unknown>)
	);
	if (refused) {
		const message = refusal(refused[0], dev);
		if (dev) console.error(`[live] ${message}`);
		// A refusal stands until the code changes: the browser shows it and does not retry.
		return json({ message }, { status: 403, headers: { 'cache-control': NO_STORE } });
	}

	const verified = await verify(locals.token);
	if (verified.status !== 'valid') error(401, 'Sign in to receive live data');
	const { sessionId, expiresAt, user } = verified.session;
	const auth = {
		sessionId,
		userId: user.id,
		token: locals.token,
		expiresAt,
		refreshAt: refreshAt(verified.session)
	};
	try {
		const stream = hub.open(auth, subs);
		return new Response(stream.body, {
			headers: {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': NO_STORE,
				vary: 'Cookie',
				// Reverse proxies must pass events through as they come.
				'x-accel-buffering': 'no'
			}
		});
	} catch (e) {
		if (e instanceof TooManyStreams) error(429, e.message);
		throw e;
	}
}) satisfies RequestHandler;

import { dev } from '$app/env';
import { error, json } from '@sveltejs/kit';
import { decodeSubscriptions } from '#lib/live-protocol.ts';
import { config } from '#lib/server/config.ts';
import { isSameOriginRead } from '#lib/server/csrf.ts';
import { hub } from '#lib/server/live/index.ts';
import { TooManyStreams } from '#lib/server/live/hub.ts';
import { isLiveReadable, refusal } from '#lib/server/live/registry.ts';
import { refreshAt } from '#lib/server/tokens.ts';
import type { RequestHandler } from './$types';

/** One Server-Sent Events stream per tab, multiplexing every live query on its page. */
export const GET = (async ({ request, locals, url }) => {
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
		return new Response(stream.body, {
			headers: {
				'content-type': 'text/event-stream; charset=utf-8',
				// Reverse proxies must pass events through as they come.
				'x-accel-buffering': 'no'
			}
		});
	} catch (e) {
		if (e instanceof TooManyStreams) error(429, e.message);
		throw e;
	}
}) satisfies RequestHandler;

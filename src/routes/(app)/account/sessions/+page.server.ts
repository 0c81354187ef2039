import { fail, redirect } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import type { Id } from '#convex/_generated/dataModel.js';
import { convex } from '#lib/server/convex.ts';
import { clearSessionCookies } from '#lib/server/cookies.ts';
import { hub } from '#lib/server/live/index.ts';
import { methodNames } from '#lib/server/oauth-offer.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async () => {
	const [sessions, methods] = await Promise.all([
		convex().query(api.sessions.list, {}),
		methodNames()
	]);
	return { sessions, methods };
}) satisfies PageServerLoad;

export const actions = {
	revoke: async (event) => {
		const id = String((await event.request.formData().catch(() => new FormData())).get('id') ?? '');
		const client = convex();
		const sessions = await client.query(api.sessions.list, {});
		const target = sessions.find((s) => s.id === id);
		if (!target) return fail(404, { message: 'That session has already ended.' });
		try {
			await client.mutation(api.sessions.revoke, { id: id as Id<'authSessions'> });
		} catch (e) {
			if (e instanceof ConvexError)
				return fail(404, { message: 'That session has already ended.' });
			throw e;
		}
		// Its live streams on this instance end now; other instances see the revocation upstream.
		hub.endSession(id);
		if (target.current) {
			clearSessionCookies(event);
			redirect(303, '/');
		}
		return { revoked: 1 };
	},
	revokeOthers: async () => {
		const client = convex();
		const others = (await client.query(api.sessions.list, {})).filter((s) => !s.current);
		const revoked = await client.mutation(api.sessions.revokeOthers, {});
		for (const s of others) hub.endSession(s.id);
		return { revoked };
	}
} satisfies Actions;

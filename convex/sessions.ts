import { ConvexError, v } from 'convex/values';
import type { Id } from './_generated/dataModel';
import { type MutationCtx, type QueryCtx, mutation, query } from './_generated/server';
import { requireSignedIn } from './session';

// Sessions are created in time order with the same total lifetime, so the newest ones are the
// live ones; a user with more than this many live sessions sees the newest.
const LIST_MAX = 100;

/** The user's sessions, live and expired (the library never deletes expired rows). */
const sessionsOf = (ctx: Pick<QueryCtx, 'db'>, userId: Id<'users'>) =>
	ctx.db.query('authSessions').withIndex('userId', (q) => q.eq('userId', userId));

export const list = query({
	args: {},
	handler: async (ctx) => {
		const { user, sessionId } = await requireSignedIn(ctx);
		const now = Date.now();
		const sessions = await sessionsOf(ctx, user._id).order('desc').take(LIST_MAX);
		const live = sessions.filter((s) => s.expirationTime >= now);
		return await Promise.all(
			live.map(async (s) => {
				// Every sign-in and every refresh mints a refresh token, so the newest one dates the
				// session's last activity that reached the backend.
				const latest = await ctx.db
					.query('authRefreshTokens')
					.withIndex('sessionId', (q) => q.eq('sessionId', s._id))
					.order('desc')
					.first();
				return {
					id: s._id,
					createdAt: s._creationTime,
					lastRefreshedAt: latest?._creationTime ?? s._creationTime,
					expiresAt: s.expirationTime,
					current: s._id === sessionId
				};
			})
		);
	}
});

export const revoke = mutation({
	args: { id: v.id('authSessions') },
	handler: async (ctx, { id }) => {
		const { user } = await requireSignedIn(ctx);
		const session = await ctx.db.get(id);
		// Someone else's session looks exactly like a missing one: no probing other users' ids.
		if (session === null || session.userId !== user._id)
			throw new ConvexError({ code: 'NOT_FOUND' });
		// The current session may go too: that is a sign-out from the session list.
		await deleteSession(ctx, id);
	}
});

export const revokeOthers = mutation({
	args: {},
	handler: async (ctx) => {
		const { user, sessionId } = await requireSignedIn(ctx);
		const now = Date.now();
		const sessions = await sessionsOf(ctx, user._id).collect();
		let revoked = 0;
		for (const s of sessions) {
			if (s._id === sessionId) continue;
			// Expired rows go too (the library never deletes them), but only live sessions count as
			// revoked: they are the ones `list` showed and the ones that just lost access.
			if (s.expirationTime >= now) revoked++;
			await deleteSession(ctx, s._id);
		}
		return revoked;
	}
});

/**
 * What `auth:signOut` does for its own session: without the session, its JWTs fail `requireUser`
 * at once; without the refresh tokens, nothing can mint new ones.
 */
async function deleteSession(ctx: MutationCtx, id: Id<'authSessions'>): Promise<void> {
	const tokens = await ctx.db
		.query('authRefreshTokens')
		.withIndex('sessionId', (q) => q.eq('sessionId', id))
		.collect();
	for (const token of tokens) await ctx.db.delete(token._id);
	await ctx.db.delete(id);
}

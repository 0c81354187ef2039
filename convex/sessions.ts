import { ConvexError, v } from 'convex/values';
import type { Id } from './_generated/dataModel';
import { type MutationCtx, mutation, query } from './_generated/server';
import { endSessions, infoOf, revokeBatch, sessionsOf } from './endSessions';
import { SESSION_TEXT_MAX } from './limits';
import { signInMethod } from './methods';
import { requireSignedIn } from './users';

// Sessions are created in time order with the same total lifetime, so the newest ones are the
// live ones; a user with more than this many live sessions sees the newest.
const LIST_MAX = 100;
/** Orphaned descriptions (of sessions `auth:signOut` deleted) a sign-in clears at most. */
const SWEEP = 20;

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
				const info = await infoOf(ctx, s._id);
				return {
					id: s._id,
					// Null for a session signed in before descriptions were kept.
					device: info && {
						browser: info.browser,
						os: info.os,
						method: info.method,
						network: info.network
					},
					createdAt: s._creationTime,
					lastRefreshedAt: latest?._creationTime ?? s._creationTime,
					expiresAt: s.expirationTime,
					current: s._id === sessionId
				};
			})
		);
	}
});

/**
 * Stores what the app saw of the caller's own session when it signed in, for the session list.
 * Whoever holds the session's JWT could write anything here, which is why it is only ever shown.
 */
export const describe = mutation({
	args: { browser: v.string(), os: v.string(), method: signInMethod, network: v.string() },
	handler: async (ctx, args) => {
		const { user, sessionId } = await requireSignedIn(ctx);
		if ([args.browser, args.os, args.network].some((text) => text.length > SESSION_TEXT_MAX))
			throw new ConvexError({ code: 'TOO_LONG' });
		const existing = await infoOf(ctx, sessionId);
		if (existing) await ctx.db.patch(existing._id, args);
		else await ctx.db.insert('sessionInfo', { sessionId, userId: user._id, ...args });
		await sweepOrphans(ctx, user._id);
	}
});

/**
 * `auth:signOut` (the logout page) deletes a session without knowing about its description, so
 * each sign-in clears a few of the user's oldest descriptions whose session is gone.
 */
async function sweepOrphans(ctx: MutationCtx, userId: Id<'users'>): Promise<void> {
	const oldest = await ctx.db
		.query('sessionInfo')
		.withIndex('by_user', (q) => q.eq('userId', userId))
		.take(SWEEP);
	for (const info of oldest)
		if ((await ctx.db.get(info.sessionId)) === null) await ctx.db.delete(info._id);
}

export const revoke = mutation({
	args: { id: v.id('authSessions') },
	handler: async (ctx, { id }) => {
		const { user } = await requireSignedIn(ctx);
		const session = await ctx.db.get(id);
		// Someone else's session looks exactly like a missing one: no probing other users' ids.
		if (session === null || session.userId !== user._id)
			throw new ConvexError({ code: 'NOT_FOUND' });
		// The current session may go too: that is a sign-out from the session list.
		await endSessions(ctx, [id]);
	}
});

export const revokeOthers = mutation({
	args: {},
	handler: async (ctx) => {
		const { user, sessionId } = await requireSignedIn(ctx);
		return await revokeBatch(ctx, { userId: user._id, keep: sessionId });
	}
});

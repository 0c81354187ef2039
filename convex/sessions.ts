import { ConvexError, type Infer, v } from 'convex/values';
import { internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import {
	type MutationCtx,
	type QueryCtx,
	internalMutation,
	mutation,
	query
} from './_generated/server';
import { SESSION_TEXT_MAX } from './limits';
import { signInMethod } from './methods';
import { requireSignedIn } from './users';

// Sessions are created in time order with the same total lifetime, so the newest ones are the
// live ones; a user with more than this many live sessions sees the newest.
const LIST_MAX = 100;
/**
 * Documents one transaction reads or deletes at most while signing sessions out (index queries
 * count too): far inside Convex's caps (32,000 reads, 16,000 writes, 4,096 queries), so a user
 * with any number of sessions can still sign them out. Scheduled transactions do the rest.
 */
export const BATCH = 1_000;
/** Orphaned descriptions (of sessions `auth:signOut` deleted) a sign-in clears at most. */
const SWEEP = 20;

const infoOf = (ctx: Pick<QueryCtx, 'db'>, sessionId: Id<'authSessions'>) =>
	ctx.db
		.query('sessionInfo')
		.withIndex('by_session', (q) => q.eq('sessionId', sessionId))
		.unique();

/** The user's sessions, live and expired (the library never deletes expired rows), by age. */
const sessionsOf = (ctx: Pick<QueryCtx, 'db'>, userId: Id<'users'>, createdUpTo?: number) =>
	ctx.db
		.query('authSessions')
		.withIndex('userId', (q) =>
			createdUpTo === undefined
				? q.eq('userId', userId)
				: q.eq('userId', userId).lte('_creationTime', createdUpTo)
		);

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

const batchArgs = v.object({
	userId: v.id('users'),
	/** The session to leave signed in; none after a password reset. */
	keep: v.optional(v.id('authSessions')),
	/**
	 * Where the previous batch stopped: the sessions left are the ones created no later than this.
	 * Walking down by age, a later batch never reaches a session signed in since the request.
	 */
	createdUpTo: v.optional(v.number())
});

/** Signs out every session of the user (a password reset), in batches like revokeOthers. */
export async function signOutEverywhere(ctx: MutationCtx, userId: Id<'users'>): Promise<void> {
	await revokeBatch(ctx, { userId });
}

/** What one transaction of revokeOthers left over. */
export const revokeOthersRest = internalMutation({
	args: batchArgs,
	handler: async (ctx, args) => {
		await revokeBatch(ctx, args);
	}
});

/**
 * Deletes up to BATCH of the user's other sessions, newest (the live ones) first, and returns how
 * many of them were live: only those count as revoked, being the ones `list` showed. Expired rows
 * go too, since the library never deletes them. A user with more sessions than one batch has the
 * rest deleted by scheduled transactions right after this one (and not counted).
 */
async function revokeBatch(ctx: MutationCtx, args: Infer<typeof batchArgs>): Promise<number> {
	const now = Date.now();
	const batch = await sessionsOf(ctx, args.userId, args.createdUpTo)
		.order('desc')
		.take(BATCH + 1); // one more, as the kept session may be among them
	const others = batch.filter((s) => s._id !== args.keep).slice(0, BATCH);
	await endSessions(
		ctx,
		others.map((s) => s._id)
	);
	if (others.length === BATCH) {
		const createdUpTo = others[others.length - 1]._creationTime;
		await ctx.scheduler.runAfter(0, internal.sessions.revokeOthersRest, { ...args, createdUpTo });
	}
	return others.filter((s) => s.expirationTime >= now).length;
}

/**
 * What `auth:signOut` does, in bounded steps. Deleting a session ends its access at once: its JWTs
 * fail `requireSignedIn`, and Convex Auth refuses a refresh token whose session is gone (and then
 * deletes it). So its refresh tokens and description can follow in scheduled transactions.
 */
async function endSessions(ctx: MutationCtx, ids: Id<'authSessions'>[]): Promise<void> {
	if (ids.length === 0) return;
	for (const id of ids) await ctx.db.delete(id);
	await ctx.scheduler.runAfter(0, internal.sessions.deleteLeftovers, { sessionIds: ids });
}

/**
 * The refresh tokens and descriptions of deleted sessions, BATCH documents (and index queries) per
 * transaction.
 */
export const deleteLeftovers = internalMutation({
	args: { sessionIds: v.array(v.id('authSessions')) },
	handler: async (ctx, { sessionIds }) => {
		let budget = BATCH;
		let next = 0;
		while (next < sessionIds.length && budget > 0) {
			const limit = budget;
			const tokens = await ctx.db
				.query('authRefreshTokens')
				.withIndex('sessionId', (q) => q.eq('sessionId', sessionIds[next]))
				.take(limit);
			for (const token of tokens) await ctx.db.delete(token._id);
			budget -= tokens.length + 1;
			if (tokens.length < limit) {
				// No tokens left for this session, and room for its description (one read, one write).
				const info = await infoOf(ctx, sessionIds[next]);
				if (info) await ctx.db.delete(info._id);
				budget -= 2;
				next++;
			}
		}
		if (next < sessionIds.length) {
			await ctx.scheduler.runAfter(0, internal.sessions.deleteLeftovers, {
				sessionIds: sessionIds.slice(next)
			});
		}
	}
});

// Ending sessions in bounded steps: what `auth:signOut` does for one session, for any number of
// them, within Convex's per-transaction caps.
import { type Infer, v } from 'convex/values';
import { internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { type MutationCtx, type QueryCtx, internalMutation } from './_generated/server';

/**
 * Documents one transaction reads or deletes at most while signing sessions out (index queries
 * count too): far inside Convex's caps (32,000 reads, 16,000 writes, 4,096 queries), so a user
 * with any number of sessions can still sign them out. Scheduled transactions do the rest.
 */
export const BATCH = 1_000;
/** A session's description (sessions:describe), if it has one. */
export const infoOf = (ctx: Pick<QueryCtx, 'db'>, sessionId: Id<'authSessions'>) =>
	ctx.db
		.query('sessionInfo')
		.withIndex('by_session', (q) => q.eq('sessionId', sessionId))
		.unique();

/** The user's sessions, live and expired (the library never deletes expired rows), by age. */
export const sessionsOf = (ctx: Pick<QueryCtx, 'db'>, userId: Id<'users'>, createdUpTo?: number) =>
	ctx.db
		.query('authSessions')
		.withIndex('userId', (q) =>
			createdUpTo === undefined
				? q.eq('userId', userId)
				: q.eq('userId', userId).lte('_creationTime', createdUpTo)
		);

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
export async function revokeBatch(
	ctx: MutationCtx,
	args: Infer<typeof batchArgs>
): Promise<number> {
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
		await ctx.scheduler.runAfter(0, internal.endSessions.revokeOthersRest, {
			...args,
			createdUpTo
		});
	}
	return others.filter((s) => s.expirationTime >= now).length;
}

/**
 * What `auth:signOut` does, in bounded steps. Deleting a session ends its access at once: its JWTs
 * fail `requireSignedIn`, and Convex Auth refuses a refresh token whose session is gone (and then
 * deletes it). So its refresh tokens and description can follow in scheduled transactions.
 */
export async function endSessions(ctx: MutationCtx, ids: Id<'authSessions'>[]): Promise<void> {
	if (ids.length === 0) return;
	for (const id of ids) await ctx.db.delete(id);
	await ctx.scheduler.runAfter(0, internal.endSessions.deleteLeftovers, { sessionIds: ids });
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
			await ctx.scheduler.runAfter(0, internal.endSessions.deleteLeftovers, {
				sessionIds: sessionIds.slice(next)
			});
		}
	}
});

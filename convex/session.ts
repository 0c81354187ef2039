import { getAuthSessionId, getAuthUserId } from '@convex-dev/auth/server';
import { ConvexError } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { QueryCtx } from './_generated/server';

/**
 * The signed-in user, but only while the session named in the JWT still exists. Convex accepts a
 * JWT until it expires; checking the session makes sign-out revoke access at once.
 */
export async function getSignedInUser(ctx: QueryCtx): Promise<Doc<'users'> | null> {
	const [userId, sessionId] = await Promise.all([getAuthUserId(ctx), getAuthSessionId(ctx)]);
	if (userId === null || sessionId === null) return null;
	const session = await ctx.db.get(sessionId);
	if (session === null || session.userId !== userId || session.expirationTime < Date.now()) {
		return null;
	}
	return await ctx.db.get(userId);
}

/** Like {@link getSignedInUser}, but throws `ConvexError({ code: 'UNAUTHENTICATED' })` instead of null. */
export async function requireUser(ctx: QueryCtx): Promise<Doc<'users'>> {
	const user = await getSignedInUser(ctx);
	if (user === null) throw new ConvexError({ code: 'UNAUTHENTICATED' });
	return user;
}

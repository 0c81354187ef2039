import { getAuthSessionId, getAuthUserId } from '@convex-dev/auth/server';
import { ConvexError, v } from 'convex/values';
import type { Doc, Id } from './_generated/dataModel';
import { type QueryCtx, mutation, query } from './_generated/server';
import { NAME_MAX } from './limits';

export type SignedIn = { user: Doc<'users'>; sessionId: Id<'authSessions'> };

/**
 * The signed-in user and the session named in the JWT, but only while that session still exists.
 * Convex accepts a JWT until it expires; checking the session makes sign-out revoke access at once.
 */
export async function getSignedIn(ctx: QueryCtx): Promise<SignedIn | null> {
	const [userId, sessionId] = await Promise.all([getAuthUserId(ctx), getAuthSessionId(ctx)]);
	if (userId === null || sessionId === null) return null;
	const session = await ctx.db.get(sessionId);
	if (session === null || session.userId !== userId || session.expirationTime < Date.now()) {
		return null;
	}
	const user = await ctx.db.get(userId);
	return user === null ? null : { user, sessionId };
}

/** Like {@link getSignedIn}, but throws `ConvexError({ code: 'UNAUTHENTICATED' })` instead of null. */
export async function requireSignedIn(ctx: QueryCtx): Promise<SignedIn> {
	const signedIn = await getSignedIn(ctx);
	if (signedIn === null) throw new ConvexError({ code: 'UNAUTHENTICATED' });
	return signedIn;
}

/** The user of {@link requireSignedIn}. */
export async function requireUser(ctx: QueryCtx): Promise<Doc<'users'>> {
	return (await requireSignedIn(ctx)).user;
}

/**
 * The signed-in user as the backend knows them. A revoked or expired session fails with
 * UNAUTHENTICATED rather than answering null, so the app signs the browser out instead of
 * rendering a page for a JWT that no longer opens anything.
 */
export const me = query({
	args: {},
	handler: async (ctx) => {
		const user = await requireUser(ctx);
		const verified = user.emailVerificationTime !== undefined;
		return { id: user._id, email: user.email ?? '', name: user.name ?? '', verified };
	}
});

/** Sets the signed-in user's name; an empty name clears it. */
export const rename = mutation({
	args: { name: v.string() },
	handler: async (ctx, { name }) => {
		const user = await requireUser(ctx);
		const trimmed = name.trim();
		if (trimmed.length > NAME_MAX) throw new ConvexError({ code: 'TOO_LONG', max: NAME_MAX });
		await ctx.db.patch(user._id, { name: trimmed || undefined });
	}
});

/**
 * How the signed-in user can sign in: `password` and the OAuth providers linked to the account, each
 * once, in the order they were added.
 */
export const signInMethods = query({
	args: {},
	handler: async (ctx) => {
		const user = await requireUser(ctx);
		const accounts = await ctx.db
			.query('authAccounts')
			.withIndex('userIdAndProvider', (q) => q.eq('userId', user._id))
			.collect();
		accounts.sort((a, b) => a._creationTime - b._creationTime);
		return [...new Set(accounts.map((a) => a.provider))];
	}
});

import { authTables } from '@convex-dev/auth/server';
import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';

/** How a session signed in; OAuth providers add theirs here. */
export const signInMethod = v.literal('password');

export default defineSchema({
	...authTables,
	notes: defineTable({
		owner: v.id('users'),
		text: v.string()
		// creation time is Convex's own `_creationTime`
	}).index('by_owner', ['owner']),
	// What the app saw when a session signed in, for the person reading their session list: shown,
	// never trusted for a decision. Kept apart from Convex Auth's own tables.
	sessionInfo: defineTable({
		sessionId: v.id('authSessions'),
		userId: v.id('users'),
		browser: v.string(),
		os: v.string(),
		method: signInMethod,
		/** The client address's /24 (IPv4) or /48 (IPv6), never the address. */
		network: v.string()
	})
		.index('by_session', ['sessionId'])
		.index('by_user', ['userId'])
});

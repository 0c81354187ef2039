import { authTables } from '@convex-dev/auth/server';
import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';
import { signInMethod } from './methods';

/** What an emailed code is for: a new password, or proof that the address is the user's. */
export const codePurpose = v.union(v.literal('reset'), v.literal('verify'));

export default defineSchema({
	...authTables,
	// The notes sample (convex/notes.ts); a note's creation time is Convex's own `_creationTime`.
	notes: defineTable({ owner: v.id('users'), text: v.string() }).index('by_owner', ['owner']),
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
		.index('by_user', ['userId']),
	// The one live emailed code per address and purpose (convex/codes.ts): only its digest is kept.
	authCodes: defineTable({
		email: v.string(),
		purpose: codePurpose,
		digest: v.bytes(),
		expiresAt: v.number(),
		/** Wrong codes tried against this one; at CODE_ATTEMPTS it is gone. */
		attempts: v.number()
	}).index('by_email_and_purpose', ['email', 'purpose']),
	// Mail written here instead of sent while no mail provider is configured (convex/mail.ts).
	mailOutbox: defineTable({
		to: v.string(),
		subject: v.string(),
		text: v.string(),
		html: v.string()
	}).index('by_to', ['to'])
});

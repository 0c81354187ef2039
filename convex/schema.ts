import { authTables } from '@convex-dev/auth/server';
import { defineSchema, defineTable } from 'convex/server';
import { v } from 'convex/values';

export default defineSchema({
	...authTables,
	notes: defineTable({
		owner: v.id('users'),
		text: v.string()
		// creation time is Convex's own `_creationTime`
	}).index('by_owner', ['owner'])
});

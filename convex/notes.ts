import { ConvexError, v } from 'convex/values';
import { mutation, query } from './_generated/server';
import { NOTE_MAX } from './limits';
import { requireUser } from './users';

export const list = query({
	args: {},
	handler: async (ctx) => {
		const user = await requireUser(ctx);
		const notes = await ctx.db
			.query('notes')
			.withIndex('by_owner', (q) => q.eq('owner', user._id))
			.order('desc')
			.take(200);
		return notes.map((n) => ({ id: n._id, text: n.text, createdAt: n._creationTime }));
	}
});

export const create = mutation({
	args: { text: v.string() },
	handler: async (ctx, { text }) => {
		const user = await requireUser(ctx);
		const trimmed = text.trim();
		if (trimmed.length === 0 || trimmed.length > NOTE_MAX) {
			throw new ConvexError({ code: 'INVALID_NOTE', max: NOTE_MAX });
		}
		return await ctx.db.insert('notes', { owner: user._id, text: trimmed });
	}
});

export const remove = mutation({
	// A plain string: the id comes from a form, and a validator failure reaches the caller as a
	// redacted message only, where a malformed id must be a NOT_FOUND like any other.
	args: { id: v.string() },
	handler: async (ctx, args) => {
		const user = await requireUser(ctx);
		const id = ctx.db.normalizeId('notes', args.id);
		const note = id === null ? null : await ctx.db.get(id);
		// Someone else's note looks exactly like a missing one: no probing other users' ids.
		if (note === null || note.owner !== user._id) throw new ConvexError({ code: 'NOT_FOUND' });
		await ctx.db.delete(note._id);
	}
});

import { fail } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import { NOTE_MAX } from '#convex/limits.ts';
import { config } from '#lib/server/config.ts';
import { BACKEND_DOWN, convex, unreachable } from '#lib/server/convex.ts';
import type { Actions, PageServerLoad } from './$types';

const NOT_SAVED =
	'The backend is unreachable right now, so the note was not saved. Try again in a moment.';

/** A REST call to a Convex HTTP action: handleFetch adds the Bearer token, the cookie stays here. */
async function countNotes(fetch: typeof globalThis.fetch): Promise<number | null> {
	try {
		const res = await fetch(`${config.convexSiteUrl}/notes/export`);
		return res.ok ? ((await res.json()) as unknown[]).length : null;
	} catch {
		return null;
	}
}

export const load = (async ({ fetch }) => {
	// convex() is a fresh client carrying this request's token: the whole server-side auth story.
	const [notes, stored] = await Promise.all([
		convex().query(api.notes.list, {}),
		countNotes(fetch)
	]);
	return { notes, max: NOTE_MAX, stored, proxy: config.proxy !== null };
}) satisfies PageServerLoad;

export const actions = {
	create: async ({ request }) => {
		const text = String((await request.formData().catch(() => new FormData())).get('text') ?? '');
		const trimmed = text.trim();
		if (!trimmed) return fail(400, { text, message: 'Write something first.' });
		if (trimmed.length > NOTE_MAX) {
			return fail(400, { text, message: `Notes are limited to ${NOTE_MAX} characters.` });
		}
		try {
			await convex().mutation(api.notes.create, { text: trimmed });
		} catch (e) {
			if (unreachable(e)) return fail(503, { text, message: NOT_SAVED });
			throw e;
		}
		return { created: true };
	},
	remove: async ({ request }) => {
		const id = String((await request.formData().catch(() => new FormData())).get('id') ?? '');
		try {
			await convex().mutation(api.notes.remove, { id });
		} catch (e) {
			if (unreachable(e)) return fail(503, { message: BACKEND_DOWN });
			// A malformed, foreign or deleted note id: the backend says NOT_FOUND for all three.
			if (e instanceof ConvexError && (e.data as { code?: unknown })?.code === 'NOT_FOUND') {
				return fail(404, { message: 'That note no longer exists.' });
			}
			throw e;
		}
		return { removed: true };
	}
} satisfies Actions;

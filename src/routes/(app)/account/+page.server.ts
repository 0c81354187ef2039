import { fail } from '@sveltejs/kit';
import { api } from '#convex/_generated/api.js';
import { NAME_MAX } from '#convex/limits.ts';
import { BACKEND_DOWN, convex, unreachable } from '#lib/server/convex.ts';
import { methodNames } from '#lib/server/oauth-offer.ts';
import { DISPLAY_NAME_MAX, THEMES, loadProfile, saveProfile } from '#lib/server/profile.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ fetch }) => {
	const [me, methods, names, profile] = await Promise.all([
		convex().query(api.users.me, {}),
		convex().query(api.users.signInMethods, {}),
		methodNames(),
		loadProfile(fetch)
	]);
	// `me` is asked of the backend, not read from the JWT: a session revoked elsewhere fails here
	// (UNAUTHENTICATED), and convex() signs the browser out instead of rendering the page.
	return {
		me,
		signInMethods: methods.map((id) => names[id] ?? id),
		nameMax: NAME_MAX,
		profile,
		themes: THEMES,
		displayNameMax: DISPLAY_NAME_MAX
	};
}) satisfies PageServerLoad;

export const actions = {
	rename: async ({ request }) => {
		const name = String((await request.formData().catch(() => new FormData())).get('name') ?? '');
		if (name.trim().length > NAME_MAX) {
			return fail(400, { name, message: `Names are limited to ${NAME_MAX} characters.` });
		}
		try {
			await convex().mutation(api.users.rename, { name });
		} catch (e) {
			if (unreachable(e)) return fail(503, { name, message: BACKEND_DOWN });
			throw e;
		}
		return { renamed: true };
	},
	saveProfile: ({ request, fetch }) => saveProfile(request, fetch)
} satisfies Actions;

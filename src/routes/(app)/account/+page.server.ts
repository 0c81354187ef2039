import { api } from '#convex/_generated/api.js';
import { config } from '#lib/server/config.ts';
import { convex } from '#lib/server/convex.ts';
import { DISPLAY_NAME_MAX, THEMES, loadProfile, saveProfile } from '#lib/server/profile.ts';
import type { Actions, PageServerLoad } from './$types';

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
	const [me, noteCount, profile] = await Promise.all([
		convex().query(api.users.me, {}),
		countNotes(fetch),
		loadProfile(fetch)
	]);
	// `me` is asked of the backend, not read from the JWT: a session revoked elsewhere fails here
	// (UNAUTHENTICATED), and convex() signs the browser out instead of rendering the page.
	return {
		me,
		noteCount,
		proxy: config.proxy !== null,
		profile,
		themes: THEMES,
		displayNameMax: DISPLAY_NAME_MAX
	};
}) satisfies PageServerLoad;

export const actions = {
	saveProfile: ({ request, fetch }) => saveProfile(request, fetch)
} satisfies Actions;

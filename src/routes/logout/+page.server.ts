import { isHttpError, redirect } from '@sveltejs/kit';
import { api } from '#convex/_generated/api.js';
import { convex } from '#lib/server/convex.ts';
import { clearSessionCookies } from '#lib/server/cookies.ts';
import { hub } from '#lib/server/live/index.ts';
import type { Actions, PageServerLoad } from './$types';

// GET only shows a confirmation: a link or an <img src="/logout"> elsewhere cannot sign anyone out.
export const load = (() => ({})) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const { session } = event.locals;
		if (session) {
			try {
				// Deletes the session on the backend, so the JWT stops working at once, not in an hour.
				await convex().action(api.auth.signOut, {});
			} catch (e) {
				// The cookies go regardless: the browser is signed out even if the backend could not be told.
				if (!isHttpError(e)) throw e;
				console.warn('logout: backend unreachable; session cookies cleared locally');
			}
			// Only now end this instance's live streams (other instances' see the revocation upstream):
			// their tabs reload at once, and must find the session already gone on the backend.
			hub.endSession(session.id);
		}
		clearSessionCookies(event);
		redirect(303, '/');
	}
} satisfies Actions;

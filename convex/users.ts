import { query } from './_generated/server';
import { requireUser } from './session';

/**
 * The signed-in user as the backend knows them. A revoked or expired session fails with
 * UNAUTHENTICATED rather than answering null, so the app signs the browser out instead of
 * rendering a page for a JWT that no longer opens anything.
 */
export const me = query({
	args: {},
	handler: async (ctx) => {
		const user = await requireUser(ctx);
		return { id: user._id, email: user.email ?? '', name: user.name ?? '' };
	}
});

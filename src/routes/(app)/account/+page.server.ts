import { api } from '#convex/_generated/api.js';
import { convex } from '#lib/server/convex.ts';
import type { PageServerLoad } from './$types';

export const load = (async () => {
	// Asked of the backend, not read from the JWT: this is what Convex itself believes.
	return { me: await convex().query(api.users.me, {}) };
}) satisfies PageServerLoad;

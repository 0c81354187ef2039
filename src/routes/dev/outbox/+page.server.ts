import { error } from '@sveltejs/kit';
import { dev } from '$app/env';
import { api } from '#convex/_generated/api.js';
import { config } from '#lib/server/config.ts';
import { convex } from '#lib/server/convex.ts';
import type { PageServerLoad } from './$types';

// The mail the deployment kept because no provider is configured (convex/outbox.ts), for the
// developer running `vite dev`. A built app has no such page: `dev` is false at build time, and
// the deployment refuses to read an outbox once RESEND_API_KEY is set.
export const load = (async () => {
	if (!dev) error(404, 'Not Found');
	const mail = await convex(null).action(api.outbox.read, {
		serverSecret: config.serverSecret
	});
	return { mail };
}) satisfies PageServerLoad;

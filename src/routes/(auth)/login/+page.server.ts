import { redirect } from '@sveltejs/kit';
import { signInWithPassword } from '#lib/server/auth.ts';
import { safeRedirectPath } from '#lib/server/redirect.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo };
}) satisfies PageServerLoad;

export const actions = {
	default: (event) => signInWithPassword(event, 'signIn')
} satisfies Actions;

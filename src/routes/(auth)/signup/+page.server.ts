import { authPageLoad, signInWithPassword } from '#lib/server/auth.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = authPageLoad satisfies PageServerLoad;

export const actions = {
	default: (event) => signInWithPassword(event, 'signUp')
} satisfies Actions;

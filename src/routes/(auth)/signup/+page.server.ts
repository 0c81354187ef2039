import { authPageLoad, signInWithPassword } from '#lib/server/auth.ts';
import { oauthOffer } from '#lib/server/oauth-offer.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => ({
	...authPageLoad(event),
	...(await oauthOffer(event.url))
})) satisfies PageServerLoad;

export const actions = {
	default: (event) => signInWithPassword(event, 'signUp')
} satisfies Actions;

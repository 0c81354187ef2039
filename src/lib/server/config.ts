import { building } from '$app/env';
import { AUTH_COOKIE_SECURE, CONVEX_SITE_URL, CONVEX_URL } from '$app/env/private';

if (!CONVEX_URL && !building) {
	throw new Error(
		'CONVEX_URL is not set. Run `npm run dev` (it starts `convex dev`, which writes .env.local), ' +
			'or `npm run dev:offline`, or set it as described in .env.example.'
	);
}
const convexUrl = CONVEX_URL ?? 'http://convex-url-not-set.invalid';

/** Backend locations and auth settings, read once from the environment (see src/env.ts). */
export const config = {
	convexUrl,
	convexSiteUrl: CONVEX_SITE_URL ?? convexUrl.replace(/\.cloud$/, '.site'),
	cookieSecure: AUTH_COOKIE_SECURE as 'auto' | 'always'
};

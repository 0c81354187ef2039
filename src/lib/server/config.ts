import { building } from '$app/env';
import * as env from '$app/env/private';

if (!env.CONVEX_URL && !building) {
	throw new Error(
		'CONVEX_URL is not set. Run `npm run dev` (it starts `convex dev`, which writes .env.local), ' +
			'or `npm run dev:offline`, or set it as described in .env.example.'
	);
}
const convexUrl = env.CONVEX_URL ?? 'http://convex-url-not-set.invalid';
const convexSiteUrl = env.CONVEX_SITE_URL ?? convexUrl.replace(/\.cloud$/, '.site');
const apiUpstream = new URL(env.API_UPSTREAM_URL ?? convexSiteUrl);

/** Backend locations and auth settings, read once from the environment (see src/env.ts). */
export const config = {
	convexUrl,
	convexSiteUrl,
	cookieSecure: env.AUTH_COOKIE_SECURE as 'auto' | 'always',
	proxy:
		env.API_PROXY === 'on'
			? {
					upstream: apiUpstream,
					publicPaths: env.API_PUBLIC_PATHS as string[],
					maxBodyBytes: env.API_MAX_BODY_BYTES as number,
					timeoutMs: env.API_TIMEOUT_MS as number,
					publicOrigin: env.PUBLIC_ORIGIN ? new URL(env.PUBLIC_ORIGIN as string) : null
				}
			: null,
	/** Origins that receive the user's Bearer token from event.fetch. */
	backendOrigins: new Set([
		new URL(convexSiteUrl).origin,
		apiUpstream.origin,
		...(env.BACKEND_ORIGINS as string[])
	]),
	trustedOrigins: env.TRUSTED_ORIGINS as string[],
	loginAttemptsPerMinute: env.LOGIN_ATTEMPTS_PER_MINUTE as number
};

import { building } from '$app/env';
import * as env from '$app/env/private';
import { SERVER_SECRET_MIN } from '#convex/gate.ts';
import { deploymentUrls } from './deployment-env.ts';
import type { PrivateJwk } from './backends/scoped-keys.ts';

const urls = deploymentUrls(env);
if (!urls && !building) {
	throw new Error(
		'No Convex deployment URL: neither CONVEX_URL nor PUBLIC_CONVEX_URL is set.\n' +
			'- Developing: run `npm run dev` (before or after `npx convex dev`); it writes the URL to ' +
			'.env.local. With no Convex account: `npm run dev:offline`.\n' +
			"- Deploying: set CONVEX_URL in the server's environment, as described in .env.example."
	);
}
const serverSecret = env.AUTH_SERVER_SECRET as string | undefined;
if ((serverSecret ?? '').length < SERVER_SECRET_MIN && !building) {
	throw new Error(
		`AUTH_SERVER_SECRET is ${serverSecret ? 'too short' : 'not set'}: the Convex deployment runs ` +
			'password sign-in and sign-up only for a server that presents this secret.\n' +
			'- Developing: `npm run dev` generates one and sets it in .env.local and on the deployment; ' +
			'`npm run dev:offline` sets one itself.\n' +
			`- Deploying: generate one (${SERVER_SECRET_MIN}+ characters, e.g. \`openssl rand -hex 32\`), ` +
			"then set the same value in this server's environment and with " +
			'`npx convex env set --prod AUTH_SERVER_SECRET <value>`.'
	);
}
const convexUrl = urls?.url ?? 'http://convex-url-not-set.invalid';
const convexSiteUrl = urls?.siteUrl ?? convexUrl.replace(/\.cloud$/, '.site');
const apiUpstream = new URL(env.API_UPSTREAM_URL ?? convexSiteUrl);
const profileApiUrl = (env.PROFILE_API_URL as string | undefined) ?? null;
const scopedOrigins = new Set(env.SCOPED_BACKEND_ORIGINS as string[]);
const scopedKeys = (env.SCOPED_TOKEN_KEYS as PrivateJwk[] | undefined) ?? null;
if (scopedOrigins.size > 0 && (!scopedKeys || !env.PUBLIC_ORIGIN) && !building) {
	// Tokens for scoped origins are signed with the app's key and name the app as their issuer.
	throw new Error(
		'SCOPED_BACKEND_ORIGINS is set, so SCOPED_TOKEN_KEYS and PUBLIC_ORIGIN must be too ' +
			'(see docs/other-backends.md).'
	);
}

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
	/** Origins that receive a Bearer token from event.fetch (scoped ones a token of their own). */
	backendOrigins: new Set([
		new URL(convexSiteUrl).origin,
		apiUpstream.origin,
		...(profileApiUrl ? [new URL(profileApiUrl).origin] : []),
		...(env.BACKEND_ORIGINS as string[]),
		...scopedOrigins
	]),
	/** Backends that get a short-lived token minted for them instead of the user's Convex JWT. */
	scoped: {
		origins: scopedOrigins,
		keys: scopedKeys,
		issuer: (env.PUBLIC_ORIGIN as string | undefined) ?? null
	},
	/** The sample second backend (examples/profile-api), shown on /account when set. */
	profileApiUrl,
	trustedOrigins: env.TRUSTED_ORIGINS as string[],
	/** Presented to the deployment with every password flow (convex/gate.ts); never logged. */
	serverSecret: serverSecret ?? ''
};

import { api } from '#convex/_generated/api.js';
import { createClient } from './convex.ts';

export type OAuthProvider = { id: string; name: string };

/** How an OAuth sign-in ended, when not signed in; /login explains each (see oauthMessage). */
export type OAuthOutcome = 'down' | 'failed' | 'expired' | 'unavailable';

const CACHE_MS = 60_000;
let cached: { at: number; providers: Promise<OAuthProvider[]> } | null = null;

/**
 * The OAuth providers the deployment is configured for, asked of it once a minute. A deployment
 * that cannot answer offers none: the password form still works.
 */
export function oauthProviders(): Promise<OAuthProvider[]> {
	if (cached === null || Date.now() - cached.at > CACHE_MS) {
		const providers = createClient(null)
			.query(api.oauth.providers, {})
			.catch(() => {
				cached = null;
				return [];
			});
		cached = { at: Date.now(), providers };
	}
	return cached.providers;
}

const MESSAGES: Record<OAuthOutcome, (name: string) => string> = {
	down: (name) => `${name} is not answering right now. Try again later, or use another way in.`,
	failed: (name) =>
		`Signing in with ${name} was cancelled or did not complete. Nothing was changed.`,
	expired: () =>
		'That sign-in was not started in this browser, or took too long. Please start again.',
	unavailable: (name) => `Signing in with ${name} is not possible right now. Please try again.`
};

/** For /login and /signup: the buttons to show, and what became of an OAuth sign-in that came back. */
export async function oauthOffer(url: URL) {
	const providers = await oauthProviders();
	const outcome = url.searchParams.get('oauth') as OAuthOutcome | null;
	const id = url.searchParams.get('provider');
	const name = providers.find((p) => p.id === id)?.name ?? 'that provider';
	const oauthMessage = outcome !== null && outcome in MESSAGES ? MESSAGES[outcome](name) : null;
	return { providers, oauthMessage };
}

/** Names for the ways in, for /account and the session list (a provider since unconfigured too). */
export async function methodNames(): Promise<Record<string, string>> {
	const names: Record<string, string> = {
		password: 'Email and password',
		github: 'GitHub',
		google: 'Google',
		oidc: 'OpenID Connect'
	};
	for (const { id, name } of await oauthProviders()) names[id] = name;
	return names;
}

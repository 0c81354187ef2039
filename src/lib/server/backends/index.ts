// The backends a load or action may `fetch` with the user's authority, wired to this process's
// configuration: which token each origin gets, and the keys that sign scoped ones.
import type { HandleFetch } from '@sveltejs/kit/hooks';
import { createBearerFor, withBearer } from './bearer.ts';
import { config } from '../config.ts';
import { loadKeySet } from './scoped-keys.ts';
import { createScopedTokens } from './scoped-tokens.ts';

const { scoped } = config;
// Imported once; a key that does not import stops the server at start.
const keys = scoped.keys ? loadKeySet(scoped.keys) : null;

/** The public keys of the app's scoped tokens (none when no key is configured). */
export const publishedKeys = async () => (keys ? (await keys).jwks : { keys: [] });

/** The Bearer token for a backend origin, with one cache of scoped tokens for the process. */
export const bearerFor = createBearerFor({
	origins: scoped.origins,
	mint: keys && scoped.issuer ? createScopedTokens({ keys, issuer: scoped.issuer }) : null
});

/** `event.fetch` to an allow-listed backend carries a Bearer token for it, never the user's cookies. */
export const backendAuthorization: HandleFetch = async ({ event, request, fetch }) => {
	const origin = new URL(request.url).origin;
	if (!config.backendOrigins.has(origin)) return fetch(request);
	return fetch(withBearer(request, await bearerFor(origin, event.locals), config.backendOrigins));
};

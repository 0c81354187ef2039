import { createBearerFor } from './backend-token.ts';
import { config } from './config.ts';
import { convexRefresh, createRefresher } from './refresh.ts';
import { loadKeySet } from './scoped-keys.ts';
import { createScopedTokens } from './scoped-tokens.ts';
import { createVerifier } from './tokens.ts';

/** The process-wide verifier: one cached JWKS and one cache of verified tokens. */
export const verify = createVerifier({ issuer: config.convexSiteUrl });

/** Single-flight refresh shared by every request in this process. */
export const refresh = createRefresher(convexRefresh(config.convexUrl));

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

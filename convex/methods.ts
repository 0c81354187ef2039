import { type Infer, v } from 'convex/values';

/** The OAuth / OpenID Connect providers convex/oauth.ts knows how to configure, by Convex Auth id. */
export const OAUTH_PROVIDERS = ['github', 'google', 'oidc'] as const;
export type OAuthProviderId = (typeof OAUTH_PROVIDERS)[number];

/** How a session signed in: the password provider or one of the OAuth providers. */
export const signInMethod = v.union(
	v.literal('password'),
	...OAUTH_PROVIDERS.map((id) => v.literal(id))
);
export type SignInMethod = Infer<typeof signInMethod>;

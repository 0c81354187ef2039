import GitHub from '@auth/core/providers/github';
import Google from '@auth/core/providers/google';
import type { OAuthConfig } from '@auth/core/providers';
import { v } from 'convex/values';
import { action, query } from './_generated/server';
import { normalizeEmail } from './email';
import type { OAuthProviderId } from './methods';

type Claims = Record<string, unknown>;
type Profile = {
	id: string;
	name?: string;
	email?: string;
	image?: string;
	emailVerified: boolean;
};
type Provider = OAuthConfig<Claims> & { id: OAuthProviderId };

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/**
 * What every provider hands Convex Auth: the email as the password form stores it, and whether the
 * provider vouches for it. Convex Auth links a sign-in to an existing user only when both the
 * provider's email is verified and the user's email is (`emailVerificationTime`); without an
 * explicit `emailVerified` it would take OAuth emails as verified, hence `false` unless the
 * provider says `true`.
 */
function profileOf(id: unknown, claims: Claims, email: unknown, verified: unknown): Profile {
	const address = text(email) && normalizeEmail(text(email)!);
	return {
		id: String(id),
		name: text(claims.name) ?? text(claims.login) ?? text(claims.preferred_username),
		email: address || undefined,
		image: text(claims.picture) ?? text(claims.avatar_url),
		emailVerified: Boolean(address) && verified === true
	};
}

/** GitHub's /user has no verification flag: the primary address from /user/emails carries one. */
function github(clientId: string, clientSecret: string): Provider {
	const base = GitHub({ clientId, clientSecret });
	return {
		...base,
		id: 'github',
		allowDangerousEmailAccountLinking: false,
		checks: ['pkce', 'state'],
		userinfo: {
			url: 'https://api.github.com/user',
			async request({ tokens }: { tokens: { access_token?: string } }) {
				const headers = { authorization: `Bearer ${tokens.access_token}`, 'user-agent': 'convex' };
				const user = await fetch('https://api.github.com/user', { headers });
				const emails = await fetch('https://api.github.com/user/emails', { headers });
				if (!user.ok) throw new Error(`GitHub /user answered ${user.status}`);
				const list = emails.ok ? ((await emails.json()) as Claims[]) : [];
				const primary = list.find((e) => e.primary === true);
				return { ...((await user.json()) as Claims), primary };
			}
		},
		profile: (claims: Claims) => {
			const primary = claims.primary as Claims | undefined;
			return profileOf(claims.id, claims, primary?.email, primary?.verified);
		}
	} as Provider;
}

function oidc(id: 'google' | 'oidc', config: Partial<Provider>): Provider {
	return {
		type: 'oidc',
		...config,
		id,
		allowDangerousEmailAccountLinking: false,
		// All three: a stolen authorization response is useless without this browser's state
		// cookie and PKCE verifier, and the ID token is bound to this very sign-in.
		checks: ['pkce', 'state', 'nonce'],
		profile: (claims: Claims) => profileOf(claims.sub, claims, claims.email, claims.email_verified)
	} as Provider;
}

/**
 * The OAuth providers this deployment has credentials for, read from its env: a provider without
 * its variables is absent, so it neither shows a button nor answers a sign-in.
 */
export function oauthProviders(): Provider[] {
	const env = {
		AUTH_GITHUB_ID: process.env.AUTH_GITHUB_ID,
		AUTH_GITHUB_SECRET: process.env.AUTH_GITHUB_SECRET,
		AUTH_GOOGLE_ID: process.env.AUTH_GOOGLE_ID,
		AUTH_GOOGLE_SECRET: process.env.AUTH_GOOGLE_SECRET,
		AUTH_OIDC_ISSUER: process.env.AUTH_OIDC_ISSUER,
		AUTH_OIDC_ID: process.env.AUTH_OIDC_ID,
		AUTH_OIDC_SECRET: process.env.AUTH_OIDC_SECRET,
		AUTH_OIDC_NAME: process.env.AUTH_OIDC_NAME
	};
	const providers: Provider[] = [];
	if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
		providers.push(github(env.AUTH_GITHUB_ID, env.AUTH_GITHUB_SECRET));
	}
	if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
		const base = Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET });
		providers.push(oidc('google', base as Partial<Provider>));
	}
	if (env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_ID && env.AUTH_OIDC_SECRET) {
		providers.push(
			oidc('oidc', {
				name: env.AUTH_OIDC_NAME || 'OpenID Connect',
				issuer: env.AUTH_OIDC_ISSUER,
				clientId: env.AUTH_OIDC_ID,
				clientSecret: env.AUTH_OIDC_SECRET,
				authorization: { params: { scope: 'openid email profile' } }
			})
		);
	}
	return providers;
}

/** The sign-in buttons to offer: the configured OAuth providers, by id and display name. */
export const providers = query({
	args: {},
	handler: async () => oauthProviders().map(({ id, name }) => ({ id, name }))
});

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Whether the provider answers, asked before the browser is sent off: Convex Auth's sign-in route
 * fetches an OpenID provider's configuration first, and fails with a bare 400 when it cannot. A
 * provider with fixed endpoints (GitHub) is not asked.
 */
export const reachable = action({
	args: { provider: v.string() },
	handler: async (_ctx, { provider }) => {
		const config = oauthProviders().find((p) => p.id === provider);
		if (config === undefined) return false;
		if (config.type !== 'oidc' || !config.issuer) return true;
		try {
			const url = `${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
			const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
			return response.ok;
		} catch {
			return false;
		}
	}
});

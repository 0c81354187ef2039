import {
	createLocalJWKSet,
	createRemoteJWKSet,
	decodeJwt,
	jwtVerify,
	type JWTPayload,
	type JWTVerifyGetKey
} from 'jose';
import type { AuthProvider, UserIdentity } from 'convex/server';
import { identityFrom } from './identity.ts';

export { identityFrom, providersOf } from './identity.ts';

/** A rejected token, with the code and message Convex answers with. */
export class AuthFailure extends Error {
	readonly code: 'InvalidAuthHeader' | 'NoAuthProvider' | 'Unauthenticated';

	constructor(code: AuthFailure['code'], message: string) {
		super(message);
		this.code = code;
	}
}

export type Verified = { identity: UserIdentity; expiresAt: number | null };

const UNVERIFIED =
	"Could not verify OIDC token claim. Check that the token signature is valid and the token hasn't expired.";

/**
 * Checks bearer tokens against the providers of convex/auth.config.ts the way the backend does:
 * a provider whose issuer and audience match, then signature (JWKS) and expiry. `local` holds the
 * keys the emulator's own site serves, used when a provider's domain is that site, so verifying
 * never needs a request to ourselves.
 */
export class TokenVerifier {
	private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();
	private readonly providers: AuthProvider[];
	private readonly local: { siteUrl: string; jwks: string };

	constructor(providers: AuthProvider[], local: { siteUrl: string; jwks: string }) {
		this.providers = providers;
		this.local = local;
	}

	async verify(token: string): Promise<Verified> {
		let claims: JWTPayload;
		try {
			claims = decodeJwt(token);
		} catch {
			throw new AuthFailure(
				'InvalidAuthHeader',
				'Could not parse JWT payload. Check that the token is a valid JWT format with three base64-encoded parts separated by dots.'
			);
		}
		const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
		const provider = this.providers.find(
			(p) =>
				issuerOf(p) === claims.iss &&
				(p.applicationID === undefined || audiences.includes(p.applicationID))
		);
		if (provider === undefined) {
			throw new AuthFailure(
				'NoAuthProvider',
				`No auth provider found matching the given token (no provider with issuer "${claims.iss}" and audience ${JSON.stringify(claims.aud)}). Check that your JWT's issuer and audience match one of your configured providers.`
			);
		}
		try {
			const { payload } = await jwtVerify(token, await this.keySet(provider), {
				issuer: issuerOf(provider),
				audience: provider.applicationID,
				algorithms: 'type' in provider ? [provider.algorithm] : ['RS256'],
				requiredClaims: ['sub']
			});
			return {
				identity: identityFrom(payload),
				expiresAt: payload.exp === undefined ? null : payload.exp * 1000
			};
		} catch {
			throw new AuthFailure('Unauthenticated', UNVERIFIED);
		}
	}

	private keySet(provider: AuthProvider): Promise<JWTVerifyGetKey> {
		const key = 'type' in provider ? provider.jwks : issuerOf(provider);
		let set = this.keySets.get(key);
		if (set === undefined) {
			set = this.loadKeySet(provider);
			// A failed discovery is retried by the next request, not cached.
			set.catch(() => this.keySets.delete(key));
			this.keySets.set(key, set);
		}
		return set;
	}

	private async loadKeySet(provider: AuthProvider): Promise<JWTVerifyGetKey> {
		if ('type' in provider) {
			return provider.jwks.startsWith('data:')
				? createLocalJWKSet(JSON.parse(decodeDataUri(provider.jwks)))
				: createRemoteJWKSet(new URL(provider.jwks));
		}
		const domain = issuerOf(provider);
		if (domain === this.local.siteUrl) return createLocalJWKSet(JSON.parse(this.local.jwks));
		// Another issuer (a test IdP, say): OIDC discovery, like the backend.
		const response = await fetch(`${domain}/.well-known/openid-configuration`);
		if (!response.ok) throw new Error(`OIDC discovery failed for ${domain}: ${response.status}`);
		const { jwks_uri } = (await response.json()) as { jwks_uri: string };
		return createRemoteJWKSet(new URL(jwks_uri));
	}
}

function issuerOf(provider: AuthProvider): string {
	return 'type' in provider ? provider.issuer : provider.domain.replace(/\/$/, '');
}

function decodeDataUri(uri: string): string {
	const [meta, data] = uri.slice('data:'.length).split(',', 2);
	return meta.endsWith(';base64')
		? Buffer.from(data, 'base64').toString()
		: decodeURIComponent(data);
}

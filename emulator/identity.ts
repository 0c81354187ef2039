// What Convex makes of auth.config.ts and of a verified token's claims.
import type { JWTPayload } from 'jose';
import type { AuthProvider, UserIdentity } from 'convex/server';

/** OIDC claim names → the UserIdentity attributes Convex exposes them as. */
const ATTRIBUTE: Record<string, string> = {
	given_name: 'givenName',
	family_name: 'familyName',
	preferred_username: 'preferredUsername',
	profile: 'profileUrl',
	picture: 'pictureUrl',
	email_verified: 'emailVerified',
	birthdate: 'birthday',
	zoneinfo: 'timezone',
	locale: 'language',
	phone_number: 'phoneNumber',
	phone_number_verified: 'phoneNumberVerified',
	updated_at: 'updatedAt'
};
const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti']);

/** The identity Convex builds from a verified JWT: iss|sub is the tokenIdentifier. */
export function identityFrom(claims: JWTPayload): UserIdentity {
	const extra: Record<string, unknown> = {};
	for (const [claim, value] of Object.entries(claims)) {
		if (!REGISTERED.has(claim)) extra[ATTRIBUTE[claim] ?? claim] = value;
	}
	const issuer = String(claims.iss);
	const subject = String(claims.sub);
	return { ...extra, issuer, subject, tokenIdentifier: `${issuer}|${subject}` };
}

/** Reads auth.config.ts's default export into a provider list, ignoring entries it cannot use. */
export function providersOf(config: unknown): AuthProvider[] {
	const providers = (config as { providers?: unknown } | undefined)?.providers;
	if (!Array.isArray(providers)) return [];
	return providers.filter(
		(p): p is AuthProvider =>
			typeof p === 'object' &&
			p !== null &&
			(typeof (p as { domain?: unknown }).domain === 'string' ||
				(p as { type?: unknown }).type === 'customJwt')
	);
}

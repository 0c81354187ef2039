import { SignJWT } from 'jose';
import type { KeySet } from './scoped-keys.ts';

/** A scoped token's lifetime: short, because it cannot be revoked before it expires. */
export const SCOPED_TOKEN_SECONDS = 300;
/** A cached token is replaced this long before it expires, so none arrives nearly expired. */
const RENEW_BEFORE_MS = 60_000;
const SESSION_LIMIT = 10_000;

export type ScopedTokenOptions = {
	keys: Promise<KeySet>;
	/** The app's own origin: the tokens' `iss`, and where backends find `/.well-known/jwks.json`. */
	issuer: string;
	lifetimeSeconds?: number;
	now?: () => number;
};

type Entry = { jwt: Promise<string>; renewAt: number };

/**
 * Mints short-lived JWTs for one backend each: `aud` is the backend's origin, `sub` the user id,
 * signed with the app's key. Such a token is worthless at Convex (other issuer and audience) and at
 * any other backend (other audience). Tokens are cached per session (its current Convex JWT) and
 * audience until a minute before they expire, so a request pays a map lookup, not a signature.
 */
export function createScopedTokens(opts: ScopedTokenOptions) {
	const lifetimeMs = (opts.lifetimeSeconds ?? SCOPED_TOKEN_SECONDS) * 1000;
	const now = opts.now ?? Date.now;
	const sessions = new Map<string, Map<string, Entry>>();

	async function sign(userId: string, audience: string, issuedAt: number): Promise<string> {
		const { signing } = await opts.keys;
		return new SignJWT({})
			.setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'JWT' })
			.setIssuer(opts.issuer)
			.setAudience(audience)
			.setSubject(userId)
			.setIssuedAt(Math.floor(issuedAt / 1000))
			.setExpirationTime(Math.floor((issuedAt + lifetimeMs) / 1000))
			.sign(signing.key);
	}

	return function mint(
		session: { token: string; userId: string },
		audience: string
	): Promise<string> {
		const t = now();
		let perAudience = sessions.get(session.token);
		const hit = perAudience?.get(audience);
		if (hit && t < hit.renewAt) return hit.jwt;
		if (!perAudience) {
			if (sessions.size >= SESSION_LIMIT) sessions.delete(sessions.keys().next().value!);
			perAudience = new Map();
			sessions.set(session.token, perAudience);
		}
		// The promise itself is cached: parallel requests of one session share one signature.
		const entry: Entry = {
			jwt: sign(session.userId, audience, t),
			renewAt: t + Math.max(lifetimeMs - RENEW_BEFORE_MS, lifetimeMs / 2)
		};
		const audiences = perAudience;
		entry.jwt.catch(() => audiences.get(audience) === entry && audiences.delete(audience));
		audiences.set(audience, entry);
		return entry.jwt;
	};
}

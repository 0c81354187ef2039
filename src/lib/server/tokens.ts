import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export type User = { id: string; email: string; name: string };

/**
 * The Convex Auth session a verified JWT belongs to, and that JWT's own lifetime (the session
 * outlives it through refreshes).
 */
export type Session = { id: string; issuedAt: number; expiresAt: number };
/** What a valid JWT says: who, and in which session. */
export type Verified = { user: User; session: Session };
export type Verification =
	| ({ status: 'valid' } & Verified)
	| { status: 'expired' | 'invalid' }
	/** The key set could not be fetched: nothing is known about the token. */
	| { status: 'unavailable' };

const CACHE_LIMIT = 10_000;

/**
 * Verifies Convex Auth JWTs the way Convex does (RS256 signature against the backend's JWKS, `iss`,
 * `aud`, `exp`). A verified token is remembered until it expires: the same JWT arrives with every
 * request for an hour, and a signature check costs far more than rendering a small page.
 */
export function createVerifier(opts: {
	issuer: string;
	keys?: JWTVerifyGetKey;
	audience?: string;
}) {
	const keys =
		opts.keys ??
		createRemoteJWKSet(new URL(`${opts.issuer}/.well-known/jwks.json`), { timeoutDuration: 5000 });
	const audience = opts.audience ?? 'convex';
	const cache = new Map<string, Verified>();

	return async function verify(token: string): Promise<Verification> {
		const hit = cache.get(token);
		if (hit) {
			if (hit.session.expiresAt > Date.now()) return { status: 'valid', ...hit };
			cache.delete(token);
			return { status: 'expired' };
		}
		try {
			const { payload } = await jwtVerify(token, keys, {
				issuer: opts.issuer,
				audience,
				algorithms: ['RS256']
			});
			const [userId, sessionId] = String(payload.sub ?? '').split('|');
			if (!userId || !sessionId || typeof payload.exp !== 'number') return { status: 'invalid' };
			const verified: Verified = {
				user: {
					id: userId,
					email: typeof payload.email === 'string' ? payload.email : '',
					name: typeof payload.name === 'string' ? payload.name : ''
				},
				session: {
					id: sessionId,
					issuedAt: (payload.iat ?? 0) * 1000,
					expiresAt: payload.exp * 1000
				}
			};
			if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
			cache.set(token, verified);
			return { status: 'valid', ...verified };
		} catch (e) {
			if (e instanceof errors.JWTExpired) return { status: 'expired' };
			if (e instanceof errors.JOSEError && !keySetFailed(e)) return { status: 'invalid' };
			// A network failure fetching the key set (or a JWKS timeout) says nothing about the token.
			return { status: 'unavailable' };
		}
	};
}

/**
 * jose's errors for a key set that could not be loaded: a timeout, a body that is not a JWKS, and the
 * plain JOSEError it throws only for a non-200 or non-JSON JWKS response (e.g. a 503 from the backend).
 */
function keySetFailed(e: errors.JOSEError): boolean {
	return (
		e instanceof errors.JWKSTimeout ||
		e instanceof errors.JWKSInvalid ||
		e.code === 'ERR_JOSE_GENERIC'
	);
}

/** When to refresh: a quarter of the token's lifetime before it expires, at most one minute. */
export function refreshAt(session: Session): number {
	return session.expiresAt - Math.min(60_000, (session.expiresAt - session.issuedAt) / 4);
}

export function needsRefresh(session: Session, now = Date.now()): boolean {
	return now >= refreshAt(session);
}

// The session step of the request pipeline: who is asking, established once per request.
import type { RequestEvent } from '@sveltejs/kit';
import { decodeJwt } from 'jose';
import { config } from './config.ts';
import { clearSessionCookies, readSessionCookies, setSessionCookies } from './cookies.ts';
import { convexRefresh, createRefresher, type Tokens } from './refresh.ts';
import { createVerifier, needsRefresh, type Verified } from './tokens.ts';

/** The process-wide verifier: one cached JWKS and one cache of verified tokens. */
export const verify = createVerifier({ issuer: config.convexSiteUrl });

/** Single-flight refresh shared by every request in this process. */
const refresh = createRefresher(convexRefresh());

type SignedIn = Verified & { token: string };

/**
 * 'unconfirmed': the browser holds a session the backend could not be asked about (it is down),
 * so the request runs anonymous but the cookies are kept.
 */
export type SessionOutcome = 'signed-in' | 'anonymous' | 'unconfirmed';

/**
 * Reads the session cookies once, verifies the JWT once, refreshes a missing or expiring one before
 * any load runs (so the whole request sees the new one), then fills `locals.user`,
 * `locals.session` and `locals.token` together. Only the backend's explicit refusal of the refresh
 * token signs out; when it cannot be reached the cookies stay and a still-valid JWT keeps working.
 */
export async function establishSession(event: RequestEvent): Promise<SessionOutcome> {
	const { token, refresh: refreshToken } = readSessionCookies(event);
	const verified = token ? await verify(token) : null;
	let signedIn: SignedIn | null =
		token && verified?.status === 'valid'
			? { user: verified.user, session: verified.session, token }
			: null;
	let refused = false;
	if (refreshToken && (!signedIn || needsRefresh(signedIn.session))) {
		const result = await refresh(refreshToken);
		if (result.status === 'refreshed') signedIn = (await store(event, result.tokens)) ?? signedIn;
		if (result.status === 'refused') {
			clearSessionCookies(event);
			[signedIn, refused] = [null, true];
		}
	}
	event.locals.user = signedIn?.user ?? null;
	event.locals.session = signedIn?.session ?? null;
	event.locals.token = signedIn?.token ?? null;
	if (signedIn) return 'signed-in';
	return refreshToken && !refused ? 'unconfirmed' : 'anonymous';
}

/**
 * Stores a rotated pair even if it cannot be verified right now (the old refresh token is spent),
 * and hands it back as the request's session if it can.
 */
async function store(event: RequestEvent, tokens: Tokens): Promise<SignedIn | null> {
	const next = await verify(tokens.token);
	const expiresAt =
		next.status === 'valid' ? next.session.expiresAt : (decodeJwt(tokens.token).exp ?? 0) * 1000;
	setSessionCookies(event, tokens, expiresAt);
	return next.status === 'valid'
		? { user: next.user, session: next.session, token: tokens.token }
		: null;
}

import { error, isHttpError, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import { ConvexHttpClient } from 'convex/browser';
import { config } from './config.ts';
import { clearSessionCookies } from './cookies.ts';
import { loginUrl } from './redirect.ts';

const TIMEOUT_MS = 10_000;
export const BACKEND_DOWN = 'The backend is unreachable right now. Please try again in a moment.';

/** Whether {@link convex} gave up on an unreachable backend: a form answers that in place, input kept. */
export const unreachable = (e: unknown) => isHttpError(e) && e.status === 503;

/**
 * The one place a ConvexHttpClient is built, each with a deadline for every call. A new client
 * per use: it holds auth state, so it is never shared between users. Without a token it is
 * anonymous. `fetchFn` sees the raw answers; {@link convex} is what loads and actions use.
 */
export function createClient(
	token: string | null,
	fetchFn: typeof fetch = (input, init) => fetch(input, init)
): ConvexHttpClient {
	return new ConvexHttpClient(config.convexUrl, {
		auth: token ?? undefined,
		fetch: (input, init) => fetchFn(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
		skipConvexDeploymentUrlCheck: true,
		logger: false
	});
}

/**
 * The Convex client for the current request, authenticated as its user (or as `token`; null is
 * anonymous). An unreachable backend becomes a clean 503 (never a stack trace). A session the
 * backend no longer accepts clears the cookies and sends the user to the login page: revoked on
 * the backend (sign-out elsewhere: UNAUTHENTICATED), or a JWT it refuses outright (401: signing
 * key rotated, clock skew) that the verified-token cache still took.
 */
export function convex(token: string | null = getRequestEvent().locals.token): ConvexHttpClient {
	return createClient(token, answered);
}

async function answered(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
	let response: Response;
	try {
		response = await fetch(input, init);
	} catch {
		error(503, BACKEND_DOWN);
	}
	if (response.status === 401 || (await isUnauthenticated(response))) signedOut();
	if (response.status >= 500 && response.status !== 560) error(503, BACKEND_DOWN);
	return response;
}

/** A function failure (560) whose ConvexError says the caller is not signed in. */
async function isUnauthenticated(response: Response): Promise<boolean> {
	if (response.status !== 560) return false;
	const body = await response
		.clone()
		.json()
		.catch(() => null);
	return body?.errorData?.code === 'UNAUTHENTICATED';
}

function signedOut(): never {
	const event = getRequestEvent();
	clearSessionCookies(event);
	redirect(303, loginUrl(event.url));
}

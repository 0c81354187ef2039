// What every sign-in does once the deployment has issued a token pair, whatever the method (a
// password, a reset or verification code, OAuth): the pair is checked as every request will check
// it, the session it replaces ended, the new one labelled, and the pair kept in the session cookies.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { decodeJwt } from 'jose';
import { api } from '#convex/_generated/api.js';
import type { SignInMethod } from '#convex/methods.ts';
import { MISCONFIGURED } from './auth-form.ts';
import { config } from './config.ts';
import { BACKEND_DOWN, convex } from './convex.ts';
import { setSessionCookies } from './cookies.ts';
import { describeDevice } from './device.ts';
import { safeRedirectPath } from './redirect.ts';
import { verify } from './session.ts';

/**
 * What every sign-in does with the deployment's answer (a password, a reset or verification code):
 * checks the new JWT, ends the session it replaces, labels the new one, sets the cookies and
 * redirects. A failure answers the form with `echo` kept.
 */
export async function finishSignIn<Echo extends Record<string, string>>(
	event: RequestEvent,
	tokens: { token: string; refreshToken: string } | null | undefined,
	echo: Echo,
	redirectTo: string
) {
	if (!tokens) return fail(503, { ...echo, message: BACKEND_DOWN });
	const outcome = await completeSignIn(event, tokens, 'password');
	if (outcome === 'misconfigured') return fail(500, { ...echo, message: MISCONFIGURED });
	if (outcome === 'down') return fail(503, { ...echo, message: BACKEND_DOWN });
	redirect(303, safeRedirectPath(redirectTo));
}

/**
 * After any sign-in method: checks the new JWT as every request will, ends the session this one
 * replaces, labels the new one, and keeps the pair in the session cookies.
 */
export async function completeSignIn(
	event: RequestEvent,
	tokens: { token: string; refreshToken: string },
	method: SignInMethod
): Promise<'ok' | 'misconfigured' | 'down'> {
	const verified = await verify(tokens.token);
	if (verified.status !== 'valid') return issuerMismatch(tokens.token) ? 'misconfigured' : 'down';
	await endReplacedSession(event.locals.token);
	await describeSession(event, tokens.token, method);

	setSessionCookies(event, tokens, verified.session.expiresAt);
	return 'ok';
}

/**
 * A token fresh from the deployment that fails verification because its `iss` is not
 * CONVEX_SITE_URL: the app is looking for the deployment's keys at another address (a custom
 * domain defeats the `.cloud` → `.site` default), so every sign-in fails alike. The operator
 * reads both values in the log; the user is not told the backend is unreachable.
 */
function issuerMismatch(token: string): boolean {
	let issuer: unknown;
	try {
		issuer = decodeJwt(token).iss;
	} catch {
		return false;
	}
	if (issuer === config.convexSiteUrl) return false;
	console.error(
		`Sign-in failed: the deployment issues tokens for ${JSON.stringify(issuer)} but CONVEX_SITE_URL ` +
			`is ${JSON.stringify(config.convexSiteUrl)}. Set CONVEX_SITE_URL to the deployment's ` +
			'CONVEX_SITE_URL exactly (see "Deploying" in the README).'
	);
	return true;
}

/**
 * Ends the session this sign-in replaces, if the browser had one (an older tab, say), so it does
 * not linger in the session list. Best effort: a session already gone has nothing left to end.
 * Called before the new cookies are set, as a refusal here clears the request's cookies.
 */
async function endReplacedSession(token: string | null): Promise<void> {
	if (!token) return;
	await convex(token)
		.action(api.auth.signOut, {})
		.catch(() => {});
}

/**
 * Labels the new session for the session list: browser, operating system, network. Best effort:
 * an unlabelled session works all the same, so this never fails a sign-in.
 */
async function describeSession(
	event: RequestEvent,
	token: string,
	method: SignInMethod
): Promise<void> {
	const userAgent = event.request.headers.get('user-agent') ?? '';
	try {
		const device = describeDevice(userAgent, event.getClientAddress());
		await convex(token).mutation(api.sessions.describe, { ...device, method });
	} catch {
		// The list shows such a session without its browser and network.
	}
}

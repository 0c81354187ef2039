// The password login proxy behind /login and /signup: the form read and checked, `auth:signIn`
// called from the server, the refusal answered in the form; a success ends in complete-sign-in.ts.
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import { normalizeEmail } from '#convex/email.ts';
import { EMAIL_MAX, NAME_MAX } from '#convex/limits.ts';
import { answerFor, field, validate, type Flow } from './auth-form.ts';
import { finishSignIn } from './complete-sign-in.ts';
import { config } from './config.ts';
import { convex } from './convex.ts';
import { toVerification } from './recovery.ts';
import { safeRedirectPath } from './redirect.ts';

/**
 * The login proxy: calls `auth:signIn` from the server, keeps the token pair in HttpOnly cookies,
 * and redirects to a same-origin `redirectTo`. The browser never sees either token.
 */
export async function signInWithPassword(event: RequestEvent, flow: Flow) {
	// A body that is not a form (text/plain, say) reads as an empty form: validation answers 400.
	const form = await event.request.formData().catch(() => new FormData());
	const email = normalizeEmail(field(form, 'email'));
	const password = field(form, 'password');
	const name = field(form, 'name').trim();
	const redirectTo = field(form, 'redirectTo');
	const echo = { email: email.slice(0, EMAIL_MAX), name: name.slice(0, NAME_MAX) };

	const invalid = validate(flow, email, password, name);
	if (invalid) return fail(400, { ...echo, message: invalid });

	// Always anonymous: a stale JWT in the cookie (signing key rotated, clock skew) would get the
	// call refused before it runs, and the refusal would read as a wrong password.
	const client = convex(null);
	let tokens: { token: string; refreshToken: string } | null | undefined;
	try {
		// The secret lets the deployment run the flow at all; the address (adapter-node's, so
		// ADDRESS_HEADER / XFF_DEPTH behind a proxy) is what its per-IP limits count.
		const server = { serverSecret: config.serverSecret, clientIp: event.getClientAddress() };
		const params =
			flow === 'signUp' && name
				? { ...server, email, password, flow, name }
				: { ...server, email, password, flow };
		({ tokens } = await client.action(api.auth.signIn, { provider: 'password', params }));
	} catch (e) {
		if (e instanceof ConvexError && e.data?.code === 'EMAIL_NOT_VERIFIED') {
			toVerification(email, redirectTo);
		}
		const { status, message, retryAfter } = answerFor(flow, e);
		if (retryAfter) event.setHeaders({ 'retry-after': String(retryAfter) });
		return fail(status, { ...echo, message });
	}
	return await finishSignIn(event, tokens, echo, redirectTo);
}

/** The load of /login and /signup: where to go afterwards, and straight there if already signed in. */
export function authPageLoad({ locals, url }: Pick<RequestEvent, 'locals' | 'url'>) {
	const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	// The query string that carries the destination over to the other auth page (log in ↔ sign up);
	// empty when it is the default destination anyway.
	const carry =
		redirectTo === safeRedirectPath(null) ? '' : `?redirectTo=${encodeURIComponent(redirectTo)}`;
	return { redirectTo, carry };
}

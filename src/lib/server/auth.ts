import { fail, isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from '#convex/limits.ts';
import { config } from './config.ts';
import { BACKEND_DOWN, createClient } from './convex.ts';
import { setSessionCookies } from './cookies.ts';
import { createRateLimiter } from './rate-limit.ts';
import { safeRedirectPath } from './redirect.ts';
import { verify } from './session.ts';

export type Flow = 'signIn' | 'signUp';
/** Per client IP, sign-in and sign-up together: a burst of N, then N a minute. */
const attempts = createRateLimiter({
	capacity: config.loginAttemptsPerMinute,
	refillPerMinute: config.loginAttemptsPerMinute
});
const NAME_MAX = 80;
/** One message for unknown account and wrong password, so the form does not reveal who has an account. */
export const BAD_CREDENTIALS = 'Incorrect email or password.';

function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Form validation before anything reaches the backend. Returns an error message or null. */
export function validate(flow: Flow, email: string, password: string, name: string): string | null {
	if (!email || !password) return 'Enter your email and password.';
	if (email.length > EMAIL_MAX) return `Email must be at most ${EMAIL_MAX} characters.`;
	if (!isEmail(email)) return 'Enter a valid email address, like you@example.com.';
	if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters.`;
	if (flow === 'signUp' && password.length < PASSWORD_MIN) {
		return `Password must be at least ${PASSWORD_MIN} characters.`;
	}
	if (name.length > NAME_MAX) return `Name must be at most ${NAME_MAX} characters.`;
	return null;
}

function describe(flow: Flow, e: unknown): { status: number; message: string } {
	if (isHttpError(e)) return { status: e.status, message: BACKEND_DOWN };
	// Signing in, every refusal reads the same: unknown account, wrong password, locked account.
	if (flow === 'signIn') return { status: 400, message: BAD_CREDENTIALS };
	const code = e instanceof ConvexError ? (e.data as { code?: string })?.code : undefined;
	if (code === 'EMAIL_TAKEN') {
		return { status: 400, message: 'An account with this email already exists. Log in instead?' };
	}
	if (code === 'INVALID_EMAIL') return { status: 400, message: 'Enter a valid email address.' };
	if (code === 'INVALID_PASSWORD') {
		return { status: 400, message: `Password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters.` };
	}
	return { status: 400, message: 'Could not create the account. Please try again.' };
}

/**
 * The login proxy: calls `auth:signIn` from the server, keeps the token pair in HttpOnly cookies,
 * and redirects to a same-origin `redirectTo`. The browser never sees either token.
 */
export async function signInWithPassword(event: RequestEvent, flow: Flow) {
	// A body that is not a form (text/plain, say) reads as an empty form: validation answers 400.
	const form = await event.request.formData().catch(() => new FormData());
	const email = field(form, 'email').trim().toLowerCase();
	const password = field(form, 'password');
	const name = field(form, 'name').trim();
	const redirectTo = field(form, 'redirectTo');
	const echo = { email: email.slice(0, EMAIL_MAX), name: name.slice(0, NAME_MAX) };

	const invalid = validate(flow, email, password, name);
	if (invalid) return fail(400, { ...echo, message: invalid });

	const retryAfter = attempts(event.getClientAddress());
	if (retryAfter > 0) {
		event.setHeaders({ 'retry-after': String(retryAfter) });
		return fail(429, {
			...echo,
			message: `Too many attempts. Try again in ${retryAfter} seconds.`
		});
	}

	// Signing in with the current token lets Convex Auth end the session it replaces.
	const client = createClient(event.locals.token);
	let tokens: { token: string; refreshToken: string } | null | undefined;
	try {
		const params =
			flow === 'signUp' && name ? { email, password, flow, name } : { email, password, flow };
		({ tokens } = await client.action(api.auth.signIn, { provider: 'password', params }));
	} catch (e) {
		const { status, message } = describe(flow, e);
		return fail(status, { ...echo, message });
	}
	const verified = tokens ? await verify(tokens.token) : null;
	if (!tokens || verified?.status !== 'valid') {
		return fail(503, { ...echo, message: BACKEND_DOWN });
	}
	setSessionCookies(
		event.cookies,
		event.url,
		config.cookieSecure,
		tokens,
		verified.session.expiresAt
	);
	redirect(303, safeRedirectPath(redirectTo));
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

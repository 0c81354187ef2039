// What the login and sign-up forms accept, and what they answer: one sentence per outcome.
import { isHttpError } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { hasInvisibleCharacters } from '#convex/email.ts';
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from '#convex/limits.ts';
import { BACKEND_DOWN } from './convex.ts';

export type Flow = 'signIn' | 'signUp';
/** One message for unknown account and wrong password, so the form does not reveal who has an account. */
export const BAD_CREDENTIALS = 'Incorrect email or password.';
/** The app and its deployment disagree (an address, the server secret): nothing the user can fix. */
export const MISCONFIGURED =
	'Signing in is not possible right now because of a problem with this site’s setup, not with your account.';
export const INVISIBLE_CHARACTERS =
	'That email contains invisible or formatting characters. Please type it again.';

/** A posted field as text: a missing one, or a file where text belongs, reads as empty. */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** Form validation before anything reaches the backend (`email` already normalized). */
export function validate(flow: Flow, email: string, password: string, name: string): string | null {
	if (!email || !password) return 'Enter your email and password.';
	const badEmail = emailProblem(email);
	if (badEmail) return badEmail;
	if (flow === 'signUp') return newPasswordProblem(password) ?? nameProblem(name);
	if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters.`;
	return nameProblem(name);
}

function nameProblem(name: string): string | null {
	if (name.length > NAME_MAX) return `Name must be at most ${NAME_MAX} characters.`;
	return null;
}

/** What is wrong with an address (`email` already normalized), or null. */
export function emailProblem(email: string): string | null {
	if (!email) return 'Enter your email.';
	if (email.length > EMAIL_MAX) return `Email must be at most ${EMAIL_MAX} characters.`;
	if (!isEmail(email)) return 'Enter a valid email address, like you@example.com.';
	if (hasInvisibleCharacters(email)) return INVISIBLE_CHARACTERS;
	return null;
}

/** The rules a password set at sign-up or by a reset meets, or null. */
export function newPasswordProblem(password: string): string | null {
	if (password.length < PASSWORD_MIN)
		return `Password must be at least ${PASSWORD_MIN} characters.`;
	if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters.`;
	return null;
}

/** "Try again in 40 seconds." / "in 12 minutes.": when the client IP's budget allows another try. */
export function tryAgainIn(seconds: number): string {
	if (seconds < 90) return `Too many attempts. Try again in ${seconds} seconds.`;
	return `Too many attempts. Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

export type Answer = { status: number; message: string; retryAfter?: number };

/** The form's answer to a refused `auth:signIn`, read from its ConvexError code, never its text. */
export function answerFor(flow: Flow, e: unknown): Answer {
	if (isHttpError(e)) return { status: e.status, message: BACKEND_DOWN };
	const data = e instanceof ConvexError ? (e.data as { code?: string; retryAfter?: number }) : {};
	if (data.code === 'RATE_LIMITED') {
		const retryAfter = Math.max(1, Math.ceil(Number(data.retryAfter) || 60));
		return { status: 429, message: tryAgainIn(retryAfter), retryAfter };
	}
	if (reportSecretMismatch(data.code)) return { status: 500, message: MISCONFIGURED };
	// Signing in, every other refusal reads the same: unknown account, wrong password, locked account.
	if (flow === 'signIn') return { status: 400, message: BAD_CREDENTIALS };
	if (data.code === 'EMAIL_TAKEN') {
		return { status: 400, message: 'An account with this email already exists. Log in instead?' };
	}
	if (data.code === 'INVALID_EMAIL')
		return { status: 400, message: 'Enter a valid email address.' };
	if (data.code === 'INVALID_PASSWORD') {
		return { status: 400, message: `Password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters.` };
	}
	return { status: 400, message: 'Could not create the account. Please try again.' };
}

/**
 * Logs what to fix when the deployment refused this server's secret (by name only: the secret never
 * reaches a log). Whether the code was such a refusal.
 */
export function reportSecretMismatch(code: string | undefined): boolean {
	if (code !== 'SERVER_ONLY' && code !== 'SERVER_SECRET_NOT_CONFIGURED') return false;
	console.error(
		code === 'SERVER_ONLY'
			? 'Password sign-in is refused by the deployment: its AUTH_SERVER_SECRET differs from this server’s. Set the same value on both (see docs/sign-in.md).'
			: 'Password sign-in is refused: the Convex deployment has no AUTH_SERVER_SECRET. Set it with `npx convex env set AUTH_SERVER_SECRET <the value this server has>`.'
	);
	return true;
}

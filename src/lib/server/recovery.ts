// The forms of password reset and email verification. The codes, their limits and the mail are
// the deployment's (convex/recovery.ts); here the input is checked, passed on with the server's
// secret and the client's address, and every refusal answered in the form with the input kept.
import { fail, isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import { CODE_DIGITS, type Purpose } from '#convex/codes.ts';
import { normalizeEmail } from '#convex/email.ts';
import { CODE_INPUT_MAX, EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN } from '#convex/limits.ts';
import {
	MISCONFIGURED,
	emailProblem,
	field,
	newPasswordProblem,
	reportSecretMismatch,
	tryAgainIn
} from './auth-form.ts';
import { finishSignIn } from './complete-sign-in.ts';
import { config } from './config.ts';
import { BACKEND_DOWN, convex } from './convex.ts';
import { safeRedirectPath } from './redirect.ts';

export const WRONG_CODE =
	'That code is wrong, has expired or was already used. Use the latest email’s code, or ask for a new one.';
const CODE_SHAPE = `Enter the ${CODE_DIGITS}-digit code from the email.`;

async function read(event: RequestEvent) {
	const form = await event.request.formData().catch(() => new FormData());
	return {
		email: normalizeEmail(field(form, 'email')).slice(0, EMAIL_MAX + 1),
		code: typedCode(field(form, 'code')),
		password: field(form, 'password'),
		redirectTo: field(form, 'redirectTo')
	};
}

const server = (event: RequestEvent) => ({
	serverSecret: config.serverSecret,
	clientIp: event.getClientAddress()
});

/** The form's answer to a refusal, from its ConvexError code (never its text). */
function refused<Echo extends Record<string, string>>(event: RequestEvent, e: unknown, echo: Echo) {
	if (isHttpError(e)) return fail(e.status, { ...echo, message: BACKEND_DOWN });
	const data = e instanceof ConvexError ? (e.data as { code?: string; retryAfter?: number }) : {};
	if (data.code === 'RATE_LIMITED') {
		const retryAfter = Math.max(1, Math.ceil(Number(data.retryAfter) || 60));
		event.setHeaders({ 'retry-after': String(retryAfter) });
		return fail(429, { ...echo, message: tryAgainIn(retryAfter) });
	}
	if (reportSecretMismatch(data.code)) return fail(500, { ...echo, message: MISCONFIGURED });
	if (data.code === 'INVALID_CODE') return fail(400, { ...echo, message: WRONG_CODE });
	if (data.code === 'INVALID_PASSWORD') {
		const rule = `Password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters.`;
		return fail(400, { ...echo, message: rule });
	}
	if (data.code === 'INVALID_EMAIL')
		return fail(400, { ...echo, message: 'Enter a valid email address.' });
	return fail(503, { ...echo, message: BACKEND_DOWN });
}

/**
 * Asks the deployment to email a code. The answer is `{ sent, email }` whether or not the address
 * has an account: the page, its status and the work behind it are the same.
 */
export async function requestCode(event: RequestEvent, purpose: Purpose) {
	const { email } = await read(event);
	const echo = { email: email.slice(0, EMAIL_MAX) };
	const invalid = emailProblem(email);
	if (invalid) return fail(400, { ...echo, message: invalid });
	try {
		const args = { ...server(event), email, purpose };
		await convex(null).action(api.recovery.requestCode, args);
	} catch (e) {
		return refused(event, e, echo);
	}
	return { ...echo, sent: true };
}

/** A code and a new password: on success the browser is signed in, every other session out. */
export async function resetPassword(event: RequestEvent) {
	const { email, code, password, redirectTo } = await read(event);
	const echo = { email: email.slice(0, EMAIL_MAX), code };
	const invalid = emailProblem(email) ?? codeProblem(code) ?? newPasswordProblem(password);
	if (invalid) return fail(400, { ...echo, message: invalid });
	const params = {
		...server(event),
		flow: 'reset-verification',
		email,
		code,
		newPassword: password
	};
	return await redeem(event, params, echo, redirectTo);
}

/** The code that proves the address: it signs the browser in (replacing any session it had). */
export async function verifyEmail(event: RequestEvent) {
	const { email, code, redirectTo } = await read(event);
	const echo = { email: email.slice(0, EMAIL_MAX), code };
	const invalid = emailProblem(email) ?? codeProblem(code);
	if (invalid) return fail(400, { ...echo, message: invalid });
	const params = { ...server(event), flow: 'email-verification', email, code };
	return await redeem(event, params, echo, redirectTo);
}

async function redeem<Echo extends Record<string, string>>(
	event: RequestEvent,
	params: Record<string, string>,
	echo: Echo,
	redirectTo: string
) {
	let tokens;
	try {
		({ tokens } = await convex(null).action(api.auth.signIn, {
			provider: 'password',
			params
		}));
	} catch (e) {
		return refused(event, e, echo);
	}
	return await finishSignIn(event, tokens, echo, redirectTo);
}

/** A code as typed or carried by a link: spaces taken out (typed or pasted in groups), bounded. */
function typedCode(value: string): string {
	return value.replace(/\s/g, '').slice(0, CODE_INPUT_MAX);
}

function codeProblem(code: string): string | null {
	return new RegExp(`^\\d{${CODE_DIGITS}}$`).test(code) ? null : CODE_SHAPE;
}

/** Where a sign-in or sign-up goes when the deployment wants the address verified first. */
export function toVerification(email: string, redirectTo: string): never {
	const query = new URLSearchParams({ email, redirectTo: safeRedirectPath(redirectTo) });
	redirect(303, `/verify-email?${query}`);
}

/** What the code pages start from: the address and code a mailed link carries. */
export function codePageLoad({ url, locals }: Pick<RequestEvent, 'url' | 'locals'>) {
	const q = url.searchParams;
	return {
		email: normalizeEmail(q.get('email') ?? locals.user?.email ?? '').slice(0, EMAIL_MAX),
		code: typedCode(q.get('code') ?? ''),
		redirectTo: safeRedirectPath(q.get('redirectTo'))
	};
}

// Accounts through the app's real form actions, as a browser without JavaScript would make and use
// them, and the page that tells whether a session is accepted.
import { JWT, Jar, REFRESH, form, sameOrigin, send, type Res } from './http.ts';
import type { Stack } from './stack.ts';

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(tag: string): string {
	return `${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** POSTs the login or sign-up form as a browser without JavaScript would. */
export async function submitAuth(
	stack: Stack,
	flow: 'login' | 'signup',
	fields: Record<string, string>,
	jar: Jar | null = null
): Promise<Res> {
	return send(stack, {
		method: 'POST',
		path: `/${flow}`,
		headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form(fields)
	});
}

/** A new account, signed in: its jar holds both session cookies. */
export async function signUp(stack: Stack, tag = 'sec'): Promise<{ email: string; jar: Jar }> {
	const email = uniqueEmail(tag);
	const res = await submitAuth(stack, 'signup', { email, password: PASSWORD });
	const jar = new Jar().take(res);
	if (res.status !== 303 || !jar.get(JWT) || !jar.get(REFRESH))
		throw new Error(`sign-up failed: ${res.status} ${res.text.slice(0, 300)}`);
	return { email, jar };
}

export async function signIn(stack: Stack, email: string, jar = new Jar()): Promise<Jar> {
	const res = await submitAuth(stack, 'login', { email, password: PASSWORD }, jar);
	jar.take(res);
	if (res.status !== 303 || !jar.get(JWT)) throw new Error(`sign-in failed: ${res.status}`);
	return jar;
}

/** The protected page the suite signs in to: it asks the backend who is signed in. */
export const PROTECTED = '/account';
/** What PROTECTED renders for a signed-in user, and nothing else does. */
export const PROTECTED_MARK = '<h1>Account</h1>';

/** Whether the jar's session is accepted by the app and the backend: PROTECTED renders. */
export async function signedIn(stack: Stack, jar: Jar): Promise<boolean> {
	const res = await send(stack, { path: PROTECTED, headers: { cookie: jar.header() } });
	jar.take(res);
	return res.status === 200 && res.text.includes(PROTECTED_MARK);
}

// What the backend holds for a jar's user, asked of the emulator directly with the jar's JWT, not
// through the app: what a forged request could have changed.
import { JWT, type Jar } from './http.ts';
import type { Stack } from './stack.ts';

/** The ids of the sessions of the jar's user, asked of the backend with its JWT; null if refused. */
export async function sessionIds(stack: Stack, jar: Jar): Promise<string[] | null> {
	const res = await backendQuery(stack, jar.get(JWT) ?? '', 'sessions:list');
	if (res.status !== 200) return null;
	return (JSON.parse(res.text) as { value: { id: string }[] }).value.map((s) => s.id);
}

/** The jar's user as the backend knows them (`users:me`); null if refused. */
export async function me(stack: Stack, jar: Jar): Promise<{ name: string } | null> {
	const res = await backendQuery(stack, jar.get(JWT) ?? '', 'users:me');
	return res.status === 200 ? (JSON.parse(res.text) as { value: { name: string } }).value : null;
}

/** The session a jar's JWT names (its `sub` is `userId|sessionId`). */
export function sessionOf(jar: Jar): string {
	const payload = JSON.parse(
		Buffer.from((jar.get(JWT) ?? '').split('.')[1] ?? '', 'base64url').toString()
	);
	return String(payload.sub).split('|')[1];
}

/** Calls this suite made itself on the backend's API, by function: not the app's doing. */
const ownCalls = new Map<string, number>();

/** Everything a forged request could change: the app's backend calls so far, the user, the sessions. */
export async function stateOf(stack: Stack, jar: Jar) {
	const state = { me: await me(stack, jar), sessions: await sessionIds(stack, jar) };
	const calls = (await stack.stats()).calls;
	for (const [path, n] of ownCalls) calls[path] = (calls[path] ?? 0) - n;
	return { calls, ...state };
}

/** A Convex function called directly on the emulator's HTTP API with a Bearer token. */
export async function backendQuery(stack: Stack, token: string, path = 'users:me') {
	ownCalls.set(path, (ownCalls.get(path) ?? 0) + 1);
	const res = await fetch(`${stack.convexUrl}/api/query`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ path, args: {}, format: 'json' })
	});
	return { status: res.status, text: await res.text() };
}

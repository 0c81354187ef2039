// No token in the logs: a stack serves sign-ups, logins, refreshes, logouts, proxy calls, forged
// cookies and a backend outage, and its whole stdout/stderr is then searched for every token it issued.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { PASSWORD, signIn, signUp, PROTECTED, signedIn, submitAuth } from './accounts.ts';
import { JWT, REFRESH, form, issued, sameOrigin, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

// Long enough that a request which refreshes still holds a live JWT when its load calls Convex on a
// loaded CI machine (the backend answers an expired one with 401, which signs the browser out):
// 4 s once proved too short there, as it did for the browser suite's short-JWT stack.
const JWT_MS = 6_000;
/** The secret the app presents with every sign-in, sign-up and login of the activity below. */
const SERVER_SECRET = 'zz-secrets-server-secret-that-must-never-be-logged';
let stack: Stack;
const jars: Jar[] = [];

const post = (jar: Jar, path: string, body: string, type = 'application/x-www-form-urlencoded') =>
	send(stack, { method: 'POST', path, headers: sameOrigin(jar, { 'content-type': type }), body });

/** Everything that might make the app or the backend log: success, refusal, error and outage. */
async function activity() {
	const a = await signUp(stack, 'secrets-a');
	const b = await signUp(stack, 'secrets-b');
	jars.push(a.jar, b.jar, await signIn(stack, a.email));
	const taken = await submitAuth(stack, 'signup', { email: a.email, password: PASSWORD });
	expect(taken.status).toBe(400);
	expect(
		(await submitAuth(stack, 'login', { email: a.email, password: 'wrong 12345' })).status
	).toBe(400);
	await post(a.jar, '/account?/rename', form({ name: 'Secret' })).then((r) => a.jar.take(r));
	await post(a.jar, '/account?/rename', form({ name: 'x'.repeat(500) })); // a refused action
	await send(stack, {
		method: 'POST',
		path: '/api/me',
		headers: sameOrigin(a.jar, { 'content-type': 'application/json' }),
		body: '{"name":"Api"}'
	});
	await send(stack, { path: '/api/me', headers: { cookie: a.jar.header() } });
	await send(stack, { path: '/api/nothing', headers: { cookie: a.jar.header() } });
	await send(stack, {
		path: `/live?q=${encodeURIComponent('[["users:me",{}]]')}`,
		headers: { cookie: a.jar.header() },
		readMs: 300
	});

	await sleep(JWT_MS + 500); // every JWT expired: the next requests refresh
	for (const jar of jars) expect(await signedIn(stack, jar)).toBe(true);
	await Promise.all(Array.from({ length: 10 }, () => signedIn(stack, b.jar.clone())));

	// Forged and garbage cookies, and a cross-site logout.
	await send(stack, {
		path: PROTECTED,
		headers: { cookie: `${JWT}=${a.jar.get(JWT)}x; ${REFRESH}=garbage` }
	});
	await send(stack, { path: PROTECTED, headers: { cookie: `${REFRESH}=${b.jar.get(REFRESH)}0` } });
	await send(stack, {
		method: 'POST',
		path: '/logout',
		headers: { origin: 'https://evil.example', cookie: a.jar.header() }
	});

	// The backend goes away and comes back.
	await stack.backend('pause');
	await send(stack, { path: PROTECTED, headers: { cookie: a.jar.header() } });
	await post(jars[2], '/logout', '').then((r) => jars[2].take(r));
	await stack.backend('resume');

	for (const jar of [a.jar, b.jar]) await post(jar, '/logout', '').then((r) => jar.take(r));
	// Replays of the now signed-out tokens.
	for (const token of [...issued].filter((v) => v.split('.').length === 3))
		await send(stack, { path: '/api/me', headers: { cookie: `${JWT}=${token}` } });

	// Last, a sign-in whose log line is awaited: each process writes its log before it answers, so
	// once that line is in, so is everything logged above.
	const signIns = () => stack.log().split('`auth:store` type: signIn').length;
	const before = signIns();
	await signIn(stack, b.email);
	await vi.waitFor(() => expect(signIns()).toBeGreaterThan(before), { timeout: 10_000 });
}

beforeAll(async () => {
	stack = await startStack(8, {
		AUTH_JWT_DURATION_MS: String(JWT_MS),
		AUTH_SERVER_SECRET: SERVER_SECRET
	});
	await activity();
}, 60_000);
afterAll(() => stack?.stop());

test('the logs were captured at INFO and cover the activity', () => {
	const log = stack.log();
	expect(log).toContain('Listening on');
	expect(log).toContain('`auth:store` type: signIn');
	expect(log).toContain('`auth:store` type: refreshSession');
	expect(log).toContain('`auth:store` type: signOut');
});

test('no JWT or refresh token issued by the stack appears in its stdout or stderr', () => {
	const log = stack.log();
	const tokens = issued;
	expect(tokens.size).toBeGreaterThanOrEqual(10); // sign-ups, logins and refreshes, both kinds
	for (const raw of tokens) {
		const value = decodeURIComponent(raw);
		expect(
			log.includes(value) || log.includes(raw),
			`token ${value.slice(0, 12)}… is in the log`
		).toBe(false);
		// A JWT's signature is what makes it usable; a refresh token's id part is its secret.
		const secret = value.includes('.') ? value.split('.')[2] : value.split('|')[0];
		expect(log.includes(secret), `secret part of ${value.slice(0, 12)}… is in the log`).toBe(false);
	}
});

test('the server secret the app presents to the backend appears in neither one’s output', () => {
	expect(stack.log()).toContain('`auth:store` type: signIn'); // it was used
	expect(stack.log().includes(SERVER_SECRET)).toBe(false);
});

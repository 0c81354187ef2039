// Refresh under load and refresh-token reuse, with 3-second JWTs: parallel requests share one
// refresh, and an old refresh token presented after the reuse window ends its whole session.
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, afterAll, expect, test } from 'vitest';
import { PROTECTED, PROTECTED_MARK, signUp } from './accounts.ts';
import { JWT, REFRESH, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const JWT_MS = 3_000;
let stack: Stack;
let users: Record<'burst' | 'tabs' | 'reused' | 'untouched', Jar>;

/** `n` parallel page loads with the same cookies, as a browser restoring many tabs would send. */
async function burst(jar: Jar, n: number) {
	const all = await Promise.all(
		Array.from({ length: n }, () =>
			send(stack, { path: PROTECTED, headers: { cookie: jar.header() } })
		)
	);
	const issued = (name: string) =>
		new Set(
			all.flatMap((r) =>
				r.setCookies.filter((c) => c.startsWith(`${name}=`)).map((c) => c.split(';')[0])
			)
		);
	return { all, jwts: issued(JWT), refreshes: issued(REFRESH) };
}

function expectAllSignedIn(responses: { status: number; text: string }[]) {
	for (const res of responses) {
		expect(res.status).toBe(200);
		expect(res.text).toContain(PROTECTED_MARK);
	}
}

beforeAll(async () => {
	stack = await startStack(3, { AUTH_JWT_DURATION_MS: String(JWT_MS) });
	const [burstUser, tabs, reused, untouched] = await Promise.all(
		['burst', 'tabs', 'reused', 'untouched'].map(
			async (tag) => (await signUp(stack, `refresh-${tag}`)).jar
		)
	);
	users = { burst: burstUser, tabs, reused, untouched };
	await sleep(JWT_MS + 1_000); // every JWT above has expired
});
afterAll(() => stack?.stop());

test('50 parallel requests with an expired JWT all succeed on ONE backend refresh', async () => {
	const before = await stack.calls('auth:signIn');
	const { all, jwts, refreshes } = await burst(users.burst, 50);
	expectAllSignedIn(all);
	expect(await stack.calls('auth:signIn')).toBe(before + 1);
	// Every response hands out the same rotated pair.
	expect(jwts.size).toBe(1);
	expect(refreshes.size).toBe(1);
});

test('two tabs: a second batch, with the old cookies or the refreshed ones, needs no second refresh', async () => {
	const jar = users.tabs;
	const before = await stack.calls('auth:signIn');
	const first = await burst(jar, 25);
	expectAllSignedIn(first.all);
	// A tab whose requests left before the new cookies arrived still carries the old pair.
	const late = await burst(jar, 25);
	expectAllSignedIn(late.all);
	expect(late.jwts).toEqual(first.jwts);
	// And once the browser has stored the new pair, every tab sends that.
	const refreshed = jar.clone();
	for (const r of first.all) refreshed.take(r);
	const next = await burst(refreshed, 25);
	expectAllSignedIn(next.all);
	expect(next.jwts.size).toBe(0); // still fresh: nothing to refresh
	expect(await stack.calls('auth:signIn')).toBe(before + 1);
});

/** One page load that finds the JWT expired: the refresh token rotates, the jar takes the new pair. */
async function step(jar: Jar) {
	const res = await send(stack, { path: PROTECTED, headers: { cookie: jar.header() } });
	expectAllSignedIn([res]);
	jar.take(res);
}

test('an old refresh token replayed after the 10 s reuse window ends its whole session', async () => {
	const { reused: current, untouched } = users;
	const r0 = current.clone(); // J0 (expired) and R0: what a thief copied
	await Promise.all([step(current), step(untouched)]); // R0 → R1
	const r0Spent = Date.now();
	const r1 = current.get(REFRESH);
	await sleep(JWT_MS + 500);
	await Promise.all([step(current), step(untouched)]); // R1 → R2: the owner keeps using the app
	expect(new Set([r0.get(REFRESH), r1, current.get(REFRESH)]).size).toBe(3);
	await sleep(Math.max(0, r0Spent + 11_000 - Date.now()));

	// R0 again, with its expired JWT: the backend sees a spent token and invalidates its family.
	const replay = await send(stack, { path: PROTECTED, headers: { cookie: r0.header() } });
	expect(replay.status).toBe(303);
	expect(replay.headers.location).toMatch(/^\/login/);
	expect(replay.setCookies.some((c) => c.startsWith(`${REFRESH}=;`))).toBe(true);

	// The owner's R2, legitimately issued, is dead too (its JWT has expired by now).
	const owner = await send(stack, { path: PROTECTED, headers: { cookie: current.header() } });
	expect(owner.status).toBe(303);
	expect(owner.headers.location).toMatch(/^\/login/);

	// An equally old session nobody replayed into still refreshes: the replay is what ended it.
	const control = await send(stack, { path: PROTECTED, headers: { cookie: untouched.header() } });
	expectAllSignedIn([control]);
});

// Account enumeration through the login form: an unknown account, a wrong password and a locked
// account get the same answer, in the same time.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PASSWORD, signUp, submitAuth, uniqueEmail } from './accounts.ts';
import { type Res } from './http.ts';
import { startStack, type Stack } from './stack.ts';

type Kind = 'unknown account' | 'wrong password' | 'locked account';
const KINDS: Kind[] = ['unknown account', 'wrong password', 'locked account'];
const TRIES = 30;
const LOCK_AFTER = 10; // failed passwords per hour (convex/auth.ts)

let stack: Stack;
let locked: string;
/** Wrong passwords rotate over these so none reaches the lockout and turns into a locked account. */
let wrong: string[];
let n = 0;

/** One login attempt of the given kind: the email it used and the response. */
async function attempt(kind: Kind): Promise<{ email: string; res: Res; ms: number }> {
	const email =
		kind === 'unknown account'
			? uniqueEmail('nobody')
			: kind === 'locked account'
				? locked
				: wrong[n++ % wrong.length];
	// The locked account is tried with its RIGHT password: the lock must still read as a plain failure.
	const password = kind === 'locked account' ? PASSWORD : 'not the password 1';
	const start = performance.now();
	const res = await submitAuth(stack, 'login', { email, password });
	return { email, res, ms: performance.now() - start };
}

/** The page with what legitimately differs (the echoed email, the CSP nonce) blanked out. */
const normalize = ({ email, res }: { email: string; res: Res }) =>
	res.text.replaceAll(email, 'EMAIL').replace(/nonce(=|-)["']?[A-Za-z0-9+/=_-]+/g, 'nonce');

/** The form's error message, as AuthForm.svelte shows it. */
const message = (res: Res) => /role="alert"[^>]*>([^<]*)</.exec(res.text)?.[1];

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

beforeAll(async () => {
	stack = await startStack(6);
	const accounts = await Promise.all(
		Array.from({ length: Math.ceil(TRIES / (LOCK_AFTER - 2)) + 1 }, () => signUp(stack, 'enum'))
	);
	locked = accounts.pop()!.email;
	wrong = accounts.map((a) => a.email);
	for (let i = 0; i < LOCK_AFTER; i++) {
		const res = await submitAuth(stack, 'login', { email: locked, password: `wrong ${i} guess` });
		if (res.status !== 400) throw new Error(`lockout setup: ${res.status}`);
	}
}, 120_000);
afterAll(() => stack?.stop());

test('unknown account, wrong password and locked account get the same status and page', async () => {
	const [unknown, bad, lock] = await Promise.all(KINDS.map(attempt));
	expect(unknown.res.status).toBe(400);
	expect(message(unknown.res)).toBe('Incorrect email or password.');
	for (const other of [bad, lock]) {
		expect(other.res.status).toBe(unknown.res.status);
		expect(message(other.res)).toBe(message(unknown.res));
		expect(other.res.setCookies).toEqual([]);
		expect(normalize(other)).toBe(normalize(unknown));
	}
});

test('the three take the same time: medians of 30 alternating tries agree', async () => {
	const times: Record<Kind, number[]> = {
		'unknown account': [],
		'wrong password': [],
		'locked account': []
	};
	for (let i = 0; i < TRIES; i++) {
		// Rotate the order each round so no kind always runs first (or right after another).
		for (let k = 0; k < KINDS.length; k++) {
			const kind = KINDS[(i + k) % KINDS.length];
			const { res, ms } = await attempt(kind);
			expect(res.status, kind).toBe(400);
			times[kind].push(ms);
		}
	}
	const medians = Object.fromEntries(KINDS.map((k) => [k, median(times[k])])) as Record<
		Kind,
		number
	>;
	console.log(
		`login medians over ${TRIES} tries: ` +
			KINDS.map((k) => `${k} ${medians[k].toFixed(1)} ms`).join(', ')
	);
	for (const [a, b] of [
		['unknown account', 'wrong password'],
		['unknown account', 'locked account'],
		['wrong password', 'locked account']
	] as [Kind, Kind][]) {
		const larger = Math.max(medians[a], medians[b]);
		const allowed = Math.max(0.25 * larger, 15);
		expect(Math.abs(medians[a] - medians[b]), `${a} vs ${b}`).toBeLessThan(allowed);
	}
});

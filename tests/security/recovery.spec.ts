// Account enumeration through the forgot-password form: a known and an unknown address get the same
// answer, in the same time, while only the known one is mailed.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signUp, uniqueEmail } from './accounts.ts';
import { form, sameOrigin, send, type Res } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const TRIES = 30;
let stack: Stack;
let known: string[];

/** The budgets out of the way: each try must mail a known address, or there is nothing to compare. */
const UNLIMITED = {
	AUTH_CODES_PER_IP_PER_HOUR: '100000',
	AUTH_CODES_PER_ACCOUNT_PER_HOUR: '100000'
};

async function ask(email: string): Promise<{ email: string; res: Res; ms: number }> {
	const start = performance.now();
	const res = await send(stack, {
		method: 'POST',
		path: '/forgot-password',
		headers: sameOrigin(null, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form({ email })
	});
	return { email, res, ms: performance.now() - start };
}

/** The page with what legitimately differs (the echoed email, the CSP nonce) blanked out. */
const normalize = ({ email, res }: { email: string; res: Res }) =>
	res.text.replaceAll(email, 'EMAIL').replace(/nonce(=|-)["']?[A-Za-z0-9+/=_-]+/g, 'nonce');

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

beforeAll(async () => {
	stack = await startStack(18, UNLIMITED);
	known = (await Promise.all([1, 2, 3].map(() => signUp(stack, 'reset')))).map((a) => a.email);
}, 120_000);
afterAll(() => stack?.stop());

test('a known and an unknown address get the same status and page', async () => {
	const [mine, nobody] = await Promise.all([ask(known[0]), ask(uniqueEmail('nobody'))]);
	expect(mine.res.status).toBe(200);
	expect(nobody.res.status).toBe(mine.res.status);
	expect(nobody.res.setCookies).toEqual([]);
	expect(normalize(nobody)).toBe(normalize(mine));
	expect(normalize(mine)).toContain('we have emailed it a code');
});

test('they take the same time: medians of 30 alternating tries agree', async () => {
	const times = { known: [] as number[], unknown: [] as number[] };
	for (let i = 0; i < TRIES; i++) {
		// Alternate which goes first, so neither always runs right after the other.
		const order = i % 2 ? (['known', 'unknown'] as const) : (['unknown', 'known'] as const);
		for (const kind of order) {
			const email = kind === 'known' ? known[i % known.length] : uniqueEmail('nobody');
			const { res, ms } = await ask(email);
			expect(res.status, kind).toBe(200);
			times[kind].push(ms);
		}
	}
	const [a, b] = [median(times.known), median(times.unknown)];
	console.log(
		`forgot-password medians over ${TRIES} tries: known ${a.toFixed(1)} ms, unknown ${b.toFixed(1)} ms`
	);
	expect(Math.abs(a - b)).toBeLessThan(Math.max(0.25 * Math.max(a, b), 15));
});

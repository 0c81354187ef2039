import { ConvexHttpClient } from 'convex/browser';
import { describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { emulatorWithUser, signUp } from './test-helpers.ts';

const env = emulatorWithUser();

/** convex-test's id shape, kept by the emulator: digits, then the table name. */
function parts(id: string) {
	const [, digits, table] = /^(\d+)(\D.*)$/.exec(id) ?? [];
	return { digits, table };
}

function commonPrefix(a: string, b: string): number {
	let i = 0;
	while (i < a.length && a[i] === b[i]) i++;
	return i;
}

async function refresh(refreshToken: string): Promise<unknown> {
	const result = await new ConvexHttpClient(env.emulator.url)
		.action(api.auth.signIn, { refreshToken })
		.catch(() => ({ tokens: null }));
	return (result as { tokens: unknown }).tokens;
}

describe('document ids', () => {
	test('ids of consecutive inserts share nothing that would let one be guessed from the other', async () => {
		const first = await env.user.client.mutation(api.notes.create, { text: 'one' });
		const second = await env.user.client.mutation(api.notes.create, { text: 'two' });
		const [a, b] = [parts(first), parts(second)];
		expect([a.table, b.table]).toEqual(['notes', 'notes']);
		// 40 random decimal digits: 133 bits, more than a real deployment's ids need.
		expect(a.digits).toHaveLength(40);
		expect(commonPrefix(a.digits, b.digits)).toBeLessThan(8);
		const gap = BigInt(a.digits) - BigInt(b.digits);
		expect(gap > 1_000_000n || gap < -1_000_000n).toBe(true);
		// Still ids to the functions: the owner lists and removes them.
		await env.user.client.mutation(api.notes.remove, { id: second });
		expect((await env.user.client.query(api.notes.list, {})).map((n) => n.id)).toContain(first);
	});

	test("a refresh token built from a neighbour of one's own ids is refused", async () => {
		// Signed up one after the other: with counted ids, the victim's ids sit a few steps away.
		const attacker = await signUp(env.emulator.url);
		const victim = await signUp(env.emulator.url);
		const [tokenId, sessionId] = attacker.refreshToken.split('|').map(parts);
		const step = (p: { digits: string; table: string }, d: number) =>
			`${(BigInt(p.digits) + BigInt(d)).toString().padStart(p.digits.length, '0')}${p.table}`;
		const guesses = [];
		for (let d = 1; d <= 15; d++) {
			for (const delta of [d, -d])
				guesses.push(`${step(tokenId, delta)}|${step(sessionId, delta)}`);
		}
		const answers = await Promise.all(guesses.map(refresh));
		expect(answers.filter((tokens) => tokens !== null)).toEqual([]);
		// The victim's own token still works: the guesses were refused, not the mechanism broken.
		expect(await refresh(victim.refreshToken)).toMatchObject({ token: expect.any(String) });
	});
});

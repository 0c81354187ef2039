// Revoking sessions by id from a form: whatever id a request carries, the answer is the same 404 as
// for a session that has ended, against a backend that words its failures as production does (no
// message text for the app to read), and no one else's session ends.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signIn, signUp, signedIn } from './accounts.ts';
import { sessionIds, sessionOf } from './backend-state.ts';
import { form, sameOrigin, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let owner: Jar;
let ownerEmail: string;
let other: Jar;

beforeAll(async () => {
	stack = await startStack(9);
	({ jar: owner, email: ownerEmail } = await signUp(stack, 'revoke-owner'));
	other = (await signUp(stack, 'revoke-other')).jar;
});
afterAll(() => stack?.stop());

function revoke(jar: Jar, id: string) {
	return send(stack, {
		method: 'POST',
		path: '/account/sessions?/revoke',
		headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form({ id })
	});
}

test('a malformed, foreign, ended or other-table id answers 404 and revokes nothing', async () => {
	const spare = await signIn(stack, ownerEmail);
	const ended = sessionOf(spare);
	expect((await revoke(owner, ended)).status).toBe(200);
	const kept = sessionOf(owner);
	const theirs = sessionOf(other);
	const otherTable = kept.replace(/authSessions$/, 'users');
	for (const id of ['not-an-id', '', '12345', `${kept}x`, ended, theirs, otherTable]) {
		const res = await revoke(owner, id);
		expect({ id, status: res.status }).toEqual({ id, status: 404 });
		expect(res.text).toContain('That session has already ended.');
	}
	expect(await sessionIds(stack, owner)).toEqual([kept]);
	expect(await sessionIds(stack, other)).toEqual([theirs]);
	expect(await signedIn(stack, other)).toBe(true);
});

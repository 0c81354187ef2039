// Deleting notes by id from a form: whatever id a request carries, the answer is the same 404 as for
// a note that is gone, against a backend that words its failures as production does (no message
// text for the app to read).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addNote, exportNotes, form, sameOrigin, send, signUp, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let owner: Jar;
let other: Jar;

beforeAll(async () => {
	stack = await startStack(9);
	owner = (await signUp(stack, 'notes-owner')).jar;
	other = (await signUp(stack, 'notes-other')).jar;
});
afterAll(() => stack?.stop());

function remove(jar: Jar, id: string) {
	return send(stack, {
		method: 'POST',
		path: '/notes?/remove',
		headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form({ id })
	});
}

test('a malformed, foreign, deleted or other-table id answers 404 and deletes nothing', async () => {
	const kept = await addNote(stack, owner, 'kept');
	const gone = await addNote(stack, owner, 'gone');
	expect((await remove(owner, gone)).status).toBe(200);
	const theirs = await addNote(stack, other, 'theirs');
	const otherTable = kept.replace(/notes$/, 'users');
	for (const id of ['not-an-id', '', '12345', `${kept}x`, gone, theirs, otherTable]) {
		const res = await remove(owner, id);
		expect({ id, status: res.status }).toEqual({ id, status: 404 });
		expect(res.text).toContain('That note no longer exists.');
	}
	expect(((await exportNotes(stack, owner)) as { id: string }[]).map((n) => n.id)).toEqual([kept]);
	expect(((await exportNotes(stack, other)) as { id: string }[]).map((n) => n.id)).toEqual([
		theirs
	]);
});

import { decodeJwt } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { type Test, as, errorData, newTest, setAuthEnv, signIn } from './test.setup';

beforeAll(setAuthEnv);

let t: Test;
let ada: ReturnType<typeof as>;
let adaToken: string;
let bob: ReturnType<typeof as>;

beforeEach(async () => {
	t = newTest();
	adaToken = (await signIn(t, 'ada@example.com')).token;
	ada = as(t, adaToken);
	bob = as(t, (await signIn(t, 'bob@example.com')).token);
});

describe('notes', () => {
	it('lists only the caller’s own notes, newest first', async () => {
		await ada.mutation(api.notes.create, { text: 'first' });
		await bob.mutation(api.notes.create, { text: 'bob’s' });
		await ada.mutation(api.notes.create, { text: 'second' });
		const notes = await ada.query(api.notes.list);
		expect(notes.map((n) => n.text)).toEqual(['second', 'first']);
		expect(notes[0]).toEqual({
			id: expect.any(String),
			text: 'second',
			createdAt: expect.any(Number)
		});
		expect((await bob.query(api.notes.list)).map((n) => n.text)).toEqual(['bob’s']);
	});

	it('stores the text trimmed', async () => {
		await ada.mutation(api.notes.create, { text: '  hello \n' });
		expect((await ada.query(api.notes.list)).map((n) => n.text)).toEqual(['hello']);
	});

	it('accepts exactly 500 characters', async () => {
		await ada.mutation(api.notes.create, { text: 'x'.repeat(500) });
		expect((await ada.query(api.notes.list))[0].text).toHaveLength(500);
	});

	it.each([
		['empty', ''],
		['whitespace-only', ' \n\t '],
		['501-character', 'x'.repeat(501)]
	])('rejects %s text with INVALID_NOTE', async (_, text) => {
		const data = await errorData(ada.mutation(api.notes.create, { text }));
		expect(data).toEqual({ code: 'INVALID_NOTE', max: 500 });
		expect(await t.run((ctx) => ctx.db.query('notes').collect())).toEqual([]);
	});

	it('lets the owner remove a note', async () => {
		const id = await ada.mutation(api.notes.create, { text: 'bye' });
		await ada.mutation(api.notes.remove, { id });
		expect(await ada.query(api.notes.list)).toEqual([]);
	});

	it('answers NOT_FOUND when someone else tries to remove a note, and keeps it', async () => {
		const id = await ada.mutation(api.notes.create, { text: 'mine' });
		expect(await errorData(bob.mutation(api.notes.remove, { id }))).toEqual({ code: 'NOT_FOUND' });
		expect(await ada.query(api.notes.list)).toHaveLength(1);
	});

	it('answers NOT_FOUND for a note that no longer exists', async () => {
		const id = await ada.mutation(api.notes.create, { text: 'gone' });
		await ada.mutation(api.notes.remove, { id });
		expect(await errorData(ada.mutation(api.notes.remove, { id }))).toEqual({ code: 'NOT_FOUND' });
	});

	it('answers NOT_FOUND for an id that is malformed or names another table', async () => {
		await ada.mutation(api.notes.create, { text: 'kept' });
		const userId = await t.run(async (ctx) => (await ctx.db.query('users').first())!._id);
		for (const id of ['', 'not-an-id', '12345', userId]) {
			expect(await errorData(ada.mutation(api.notes.remove, { id }))).toEqual({
				code: 'NOT_FOUND'
			});
		}
		expect(await ada.query(api.notes.list)).toHaveLength(1);
	});

	it('refuses anonymous callers with UNAUTHENTICATED', async () => {
		const id = await ada.mutation(api.notes.create, { text: 'x' });
		const unauthenticated = { code: 'UNAUTHENTICATED' };
		expect(await errorData(t.query(api.notes.list))).toEqual(unauthenticated);
		expect(await errorData(t.mutation(api.notes.create, { text: 'x' }))).toEqual(unauthenticated);
		expect(await errorData(t.mutation(api.notes.remove, { id }))).toEqual(unauthenticated);
	});
});

describe('revocation', () => {
	it('revokes access at once after sign-out, while the JWT is still unexpired', async () => {
		await ada.mutation(api.notes.create, { text: 'private' });
		await ada.action(api.auth.signOut);
		// Same identity, same unexpired JWT: only the deleted session stands in the way.
		expect(await errorData(as(t, adaToken).query(api.notes.list))).toEqual({
			code: 'UNAUTHENTICATED'
		});
		expect(await errorData(ada.query(api.users.me))).toEqual({ code: 'UNAUTHENTICATED' });
		expect(await bob.query(api.users.me)).toMatchObject({ email: 'bob@example.com' });
	});

	it('revokes access once the session has expired', async () => {
		const sessionId = decodeJwt(adaToken).sub!.split('|')[1] as Id<'authSessions'>;
		await t.run((ctx) => ctx.db.patch(sessionId, { expirationTime: Date.now() - 1000 }));
		expect(await errorData(ada.query(api.notes.list))).toEqual({ code: 'UNAUTHENTICATED' });
		expect(await errorData(ada.query(api.users.me))).toEqual({ code: 'UNAUTHENTICATED' });
	});
});

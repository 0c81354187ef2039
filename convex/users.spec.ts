import { decodeJwt } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { NAME_MAX } from './limits';
import {
	type Test,
	type Tokens,
	as,
	errorData,
	fromServer,
	newTest,
	setAuthEnv,
	signIn
} from './test.setup';

beforeAll(setAuthEnv);

const unauthenticated = { code: 'UNAUTHENTICATED' };
let t: Test;
let ada: Tokens;

beforeEach(async () => {
	t = newTest();
	ada = await signIn(t, 'ada@example.com');
});

describe('users.me', () => {
	it('returns the signed-in user’s id, email and name', async () => {
		const me = await as(t, ada.token).query(api.users.me);
		const users = await t.run((ctx) => ctx.db.query('users').collect());
		const adaId = users.find((u) => u.email === 'ada@example.com')!._id;
		expect(me).toEqual({ id: adaId, email: 'ada@example.com', name: '', verified: false });
	});

	it('includes the name given at sign-up', async () => {
		const { tokens } = await t.action(api.auth.signIn, {
			provider: 'password',
			params: {
				...fromServer,
				email: 'cy@example.com',
				password: 'correct horse',
				flow: 'signUp',
				name: ' Cy '
			}
		});
		expect(decodeJwt(tokens!.token)).toMatchObject({ email: 'cy@example.com', name: 'Cy' });
		expect(await as(t, tokens!.token).query(api.users.me)).toMatchObject({ name: 'Cy' });
	});

	it('refuses anonymous callers with UNAUTHENTICATED', async () => {
		expect(await errorData(t.query(api.users.me))).toEqual(unauthenticated);
	});

	// The JWT is still unexpired and Convex still accepts it: only the session check stands in the way.
	it('refuses a JWT replayed after sign-out with UNAUTHENTICATED, not null', async () => {
		const replayed = as(t, ada.token);
		await replayed.action(api.auth.signOut);
		expect(await errorData(replayed.query(api.users.me))).toEqual(unauthenticated);
	});

	it('refuses a JWT whose session has expired', async () => {
		const sessionId = decodeJwt(ada.token).sub!.split('|')[1] as Id<'authSessions'>;
		await t.run((ctx) => ctx.db.patch(sessionId, { expirationTime: Date.now() - 1000 }));
		expect(await errorData(as(t, ada.token).query(api.users.me))).toEqual(unauthenticated);
	});
});

describe('users.rename', () => {
	it('renames the caller only, trimmed; an empty name clears it', async () => {
		const bob = await signIn(t, 'bob@example.com');
		await as(t, ada.token).mutation(api.users.rename, { name: '  Ada L. ' });
		expect(await as(t, ada.token).query(api.users.me)).toMatchObject({ name: 'Ada L.' });
		expect(await as(t, bob.token).query(api.users.me)).toMatchObject({ name: '' });
		await as(t, ada.token).mutation(api.users.rename, { name: ' ' });
		expect(await as(t, ada.token).query(api.users.me)).toMatchObject({ name: '' });
	});

	it('refuses a name over NAME_MAX with TOO_LONG, changing nothing', async () => {
		const long = as(t, ada.token).mutation(api.users.rename, { name: 'a'.repeat(NAME_MAX + 1) });
		expect(await errorData(long)).toEqual({ code: 'TOO_LONG', max: NAME_MAX });
		expect(await as(t, ada.token).query(api.users.me)).toMatchObject({ name: '' });
	});

	it('refuses anonymous callers and JWTs replayed after sign-out', async () => {
		expect(await errorData(t.mutation(api.users.rename, { name: 'x' }))).toEqual(unauthenticated);
		const replayed = as(t, ada.token);
		await replayed.action(api.auth.signOut);
		expect(await errorData(replayed.mutation(api.users.rename, { name: 'x' }))).toEqual(
			unauthenticated
		);
	});
});

describe('GET and POST /me', () => {
	const post = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });

	it('answer the caller as users.me does, and rename them', async () => {
		const me = as(t, ada.token);
		expect(await (await me.fetch('/me')).json()).toEqual(await me.query(api.users.me));
		const renamed = await me.fetch('/me', post({ name: 'Ada' }));
		expect(renamed.status).toBe(200);
		expect(await renamed.json()).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
	});

	it('answer 400 to a body without a name or a name over NAME_MAX, changing nothing', async () => {
		const me = as(t, ada.token);
		expect((await me.fetch('/me', post({ nom: 'x' }))).status).toBe(400);
		expect((await me.fetch('/me', post({ name: 'a'.repeat(NAME_MAX + 1) }))).status).toBe(400);
		expect(await me.query(api.users.me)).toMatchObject({ name: '' });
	});

	it('answer 401 to an anonymous or signed-out caller', async () => {
		expect((await t.fetch('/me')).status).toBe(401);
		expect((await t.fetch('/me', post({ name: 'x' }))).status).toBe(401);
		const replayed = as(t, ada.token);
		await replayed.action(api.auth.signOut);
		expect((await replayed.fetch('/me')).status).toBe(401);
	});
});

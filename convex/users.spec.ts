import { decodeJwt } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import type { Id } from './_generated/dataModel';
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
		expect(me).toEqual({ id: adaId, email: 'ada@example.com', name: '' });
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

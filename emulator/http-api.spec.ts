import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { ConvexError, type Value } from 'convex/values';
import { describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { emulatorWithUser, fromServer } from './test-helpers.ts';

const env = emulatorWithUser();

async function post(path: string, body: unknown, token?: string) {
	const response = await fetch(env.emulator.url + path, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			...(token === undefined ? {} : { Authorization: `Bearer ${token}` })
		},
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the HTTP API', () => {
	test('a signed-up user creates and lists notes and reads their profile with the token', async () => {
		const id = await env.user.client.mutation(api.notes.create, { text: '  first note  ' });
		expect(typeof id).toBe('string');
		const notes = await env.user.client.query(api.notes.list, {});
		expect(notes).toEqual([{ id, text: 'first note', createdAt: expect.any(Number) }]);
		expect(await env.user.client.query(api.users.me, {})).toEqual({
			verified: false,
			id: expect.any(String),
			email: env.user.email,
			name: ''
		});
	});

	test('functions run with no identity when no token is sent', async () => {
		const anonymous = new ConvexHttpClient(env.emulator.url);
		expect(await anonymous.query(api.auth.isAuthenticated, {})).toBe(false);
		expect(await env.user.client.query(api.auth.isAuthenticated, {})).toBe(true);
		await expect(anonymous.query(api.notes.list, {})).rejects.toMatchObject({
			data: { code: 'UNAUTHENTICATED' }
		});
	});

	test('ConvexError data arrives intact, as a ConvexError', async () => {
		const id = await env.user.client.mutation(api.notes.create, { text: 'short-lived' });
		await env.user.client.mutation(api.notes.remove, { id });
		const missing = await env.user.client
			.mutation(api.notes.remove, { id })
			.catch((e: unknown) => e);
		expect(missing).toBeInstanceOf(ConvexError);
		expect((missing as ConvexError<Value>).data).toEqual({ code: 'NOT_FOUND' });
		await expect(env.user.client.mutation(api.notes.create, { text: '   ' })).rejects.toMatchObject(
			{
				data: { code: 'INVALID_NOTE', max: 500 }
			}
		);
	});

	test('concurrent sign-ups of one email make one account; the others answer EMAIL_TAKEN', async () => {
		// They pass the "no such account yet" check together, so all but one lose inside
		// createAccount, whose failure reaches the action as Convex words it, not as thrown.
		const email = `race-${Date.now()}@example.com`;
		const signUps = await Promise.allSettled(
			[1, 2, 3, 4].map((n) =>
				new ConvexHttpClient(env.emulator.url).action(api.auth.signIn, {
					provider: 'password',
					params: { ...fromServer(), email, password: `password number ${n}`, flow: 'signUp' }
				})
			)
		);
		const outcomes = signUps.map((s) =>
			s.status === 'fulfilled' ? 'signed up' : ((s.reason as ConvexError<Value>).data ?? s.reason)
		);
		expect(outcomes.filter((o) => o === 'signed up')).toHaveLength(1);
		expect(outcomes.filter((o) => o !== 'signed up')).toEqual(
			Array(3).fill({ code: 'EMAIL_TAKEN' })
		);
	});

	test('internal functions cannot be called from outside, by any endpoint', async () => {
		const store = makeFunctionReference<'mutation'>('auth:store');
		await expect(env.user.client.mutation(store, {})).rejects.toThrow(
			/Could not find public function for 'auth:store'/
		);
		const run = await post('/api/run/auth/store', { args: {}, format: 'json' });
		expect(run.status).toBe(560);
		expect(run.body.errorMessage).toMatch(/Could not find public function/);
		expect(run.body).not.toHaveProperty('errorData');
	});

	test('a function called as the wrong kind, or an unknown one, is refused', async () => {
		const asMutation = makeFunctionReference<'mutation'>('notes:list');
		await expect(env.user.client.mutation(asMutation, {})).rejects.toThrow(
			/Trying to execute notes:list as Mutation, but it is defined as Query/
		);
		const nope = makeFunctionReference<'query'>('notes:nope');
		await expect(env.user.client.query(nope, {})).rejects.toThrow(/Could not find public function/);
	});

	test('the run endpoint and plain-JSON bodies with object args work like the client', async () => {
		const run = await post('/api/run/users/me', { args: {}, format: 'json' }, env.user.token);
		expect(run).toEqual({
			status: 200,
			body: {
				status: 'success',
				value: expect.objectContaining({ email: env.user.email }),
				logLines: []
			}
		});
		const plain = await post(
			'/api/query',
			{ path: 'users:me', args: {}, format: 'json' },
			env.user.token
		);
		expect(plain.body.value).toEqual(run.body.value);
		const failed = await post(
			'/api/mutation',
			{ path: 'notes:create', args: { text: '' } },
			env.user.token
		);
		expect(failed).toEqual({
			status: 560,
			body: {
				status: 'error',
				errorMessage: expect.stringContaining('INVALID_NOTE'),
				errorData: { code: 'INVALID_NOTE', max: 500 },
				logLines: []
			}
		});
	});

	test('consistent queries (query_ts, query_at_ts) are served', async () => {
		expect(await env.user.client.consistentQuery(api.users.me, {})).toMatchObject({
			email: env.user.email
		});
	});

	test('malformed requests get a 400 with a message and do not take the emulator down', async () => {
		expect(await post('/api/query', '{not json')).toMatchObject({
			status: 400,
			body: { code: 'BadJsonBody', message: expect.any(String) }
		});
		expect((await post('/api/query', { args: [{}] })).status).toBe(400);
		expect((await post('/api/query', { path: 'users:me', args: [1, 2] })).status).toBe(400);
		expect((await post('/api/query', { path: 'users:me', format: 'xml' })).status).toBe(400);
		expect((await post('/api/nothing-here', {})).status).toBe(404);
		expect(await new ConvexHttpClient(env.emulator.url).query(api.auth.isAuthenticated, {})).toBe(
			false
		);
	});
});

import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { ConvexError, type Value } from 'convex/values';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { startEmulator, type Emulator } from './emulator.ts';
import { signUp } from './test-helpers.ts';

let emulator: Emulator;
let user: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
	emulator = await startEmulator();
	user = await signUp(emulator.url);
});
afterAll(() => emulator?.close());

async function post(path: string, body: unknown, token?: string) {
	const response = await fetch(emulator.url + path, {
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
		const id = await user.client.mutation(api.notes.create, { text: '  first note  ' });
		expect(typeof id).toBe('string');
		const notes = await user.client.query(api.notes.list, {});
		expect(notes).toEqual([{ id, text: 'first note', createdAt: expect.any(Number) }]);
		expect(await user.client.query(api.users.me, {})).toEqual({
			id: expect.any(String),
			email: user.email,
			name: ''
		});
	});

	test('functions run with no identity when no token is sent', async () => {
		const anonymous = new ConvexHttpClient(emulator.url);
		expect(await anonymous.query(api.users.me, {})).toBeNull();
		await expect(anonymous.query(api.notes.list, {})).rejects.toMatchObject({
			data: { code: 'UNAUTHENTICATED' }
		});
	});

	test('ConvexError data arrives intact, as a ConvexError', async () => {
		const id = await user.client.mutation(api.notes.create, { text: 'short-lived' });
		await user.client.mutation(api.notes.remove, { id });
		const missing = await user.client.mutation(api.notes.remove, { id }).catch((e: unknown) => e);
		expect(missing).toBeInstanceOf(ConvexError);
		expect((missing as ConvexError<Value>).data).toEqual({ code: 'NOT_FOUND' });
		await expect(user.client.mutation(api.notes.create, { text: '   ' })).rejects.toMatchObject({
			data: { code: 'INVALID_NOTE', max: 500 }
		});
	});

	test('internal functions cannot be called from outside, by any endpoint', async () => {
		const store = makeFunctionReference<'mutation'>('auth:store');
		await expect(user.client.mutation(store, {})).rejects.toThrow(
			/Could not find public function for 'auth:store'/
		);
		const run = await post('/api/run/auth/store', { args: {}, format: 'json' });
		expect(run.status).toBe(560);
		expect(run.body.errorMessage).toMatch(/Could not find public function/);
		expect(run.body).not.toHaveProperty('errorData');
	});

	test('a function called as the wrong kind, or an unknown one, is refused', async () => {
		const asMutation = makeFunctionReference<'mutation'>('notes:list');
		await expect(user.client.mutation(asMutation, {})).rejects.toThrow(
			/Trying to execute notes:list as Mutation, but it is defined as Query/
		);
		const nope = makeFunctionReference<'query'>('notes:nope');
		await expect(user.client.query(nope, {})).rejects.toThrow(/Could not find public function/);
	});

	test('the run endpoint and plain-JSON bodies with object args work like the client', async () => {
		const run = await post('/api/run/users/me', { args: {}, format: 'json' }, user.token);
		expect(run).toEqual({
			status: 200,
			body: {
				status: 'success',
				value: expect.objectContaining({ email: user.email }),
				logLines: []
			}
		});
		const plain = await post(
			'/api/query',
			{ path: 'users:me', args: {}, format: 'json' },
			user.token
		);
		expect(plain.body.value).toEqual(run.body.value);
		const failed = await post(
			'/api/mutation',
			{ path: 'notes:create', args: { text: '' } },
			user.token
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
		expect(await user.client.consistentQuery(api.users.me, {})).toMatchObject({
			email: user.email
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
		expect(await new ConvexHttpClient(emulator.url).query(api.users.me, {})).toBeNull();
	});
});

import { ConvexHttpClient, type ConvexClient } from 'convex/browser';
import { ConvexError, type Value } from 'convex/values';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { RawSync } from './test-raw-sync.ts';
import {
	fromServer,
	liveClient,
	mintToken,
	nextValue,
	signUp,
	emulatorWithUser
} from './test-helpers.ts';

const env = emulatorWithUser();
const clients: ConvexClient[] = [];

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.close()));
});

function authedClient(token: string, onChange?: (authenticated: boolean) => void) {
	const client = liveClient(env.emulator.url);
	client.setAuth(async () => token, onChange);
	clients.push(client);
	return client;
}

describe('live queries over the WebSocket', () => {
	test('a subscription receives a note another client created over HTTP', async () => {
		const live = authedClient(env.user.token);
		// Held open so the update below must be pushed, not fetched by a fresh subscription.
		live.onUpdate(api.notes.list, {}, () => {});
		await nextValue(live, api.notes.list, {}, () => true);
		const update = nextValue(live, api.notes.list, {}, (notes) =>
			notes.some((n) => n.text === 'from the other client')
		);
		await env.user.client.mutation(api.notes.create, { text: 'from the other client' });
		expect((await update)[0]).toMatchObject({ text: 'from the other client' });
	});

	test('a mutation over the socket resolves only once its write is visible to queries', async () => {
		const live = authedClient(env.user.token);
		const seen: string[][] = [];
		live.onUpdate(api.notes.list, {}, (notes) => seen.push(notes.map((n) => n.text)));
		const id = await live.mutation(api.notes.create, { text: 'read your writes' });
		expect(typeof id).toBe('string');
		expect(seen.at(-1)).toContain('read your writes');
		expect(live.client.localQueryResult('notes:list', {})).toEqual(
			expect.arrayContaining([expect.objectContaining({ id, text: 'read your writes' })])
		);
	});

	test('errors reach socket callers intact: ConvexError data for mutations, for queries too', async () => {
		const live = authedClient(env.user.token);
		const error = await live.mutation(api.notes.create, { text: '' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConvexError);
		expect((error as ConvexError<Value>).data).toEqual({ code: 'INVALID_NOTE', max: 500 });

		const anonymous = liveClient(env.emulator.url);
		clients.push(anonymous);
		const queryError = await new Promise<unknown>((resolve) =>
			anonymous.onUpdate(api.notes.list, {}, () => {}, resolve)
		);
		expect((queryError as ConvexError<Value>).data).toEqual({ code: 'UNAUTHENTICATED' });
	});

	test('an action over the socket runs and answers', async () => {
		const live = liveClient(env.emulator.url);
		clients.push(live);
		const result = await live.action(api.auth.signIn, {
			provider: 'password',
			params: {
				...fromServer(),
				email: env.user.email,
				password: 'correct horse battery',
				flow: 'signIn'
			}
		});
		expect(result).toMatchObject({ tokens: { token: expect.any(String) } });
	});

	test('each user only sees their own data, and signing out a session empties the view', async () => {
		const other = await signUp(env.emulator.url);
		const live = authedClient(other.token);
		// Held open, so the refusal after sign-out must be pushed to it.
		const refused = new Promise<unknown>((resolve) =>
			live.onUpdate(api.users.me, {}, () => {}, resolve)
		);
		expect(await nextValue(live, api.users.me, {}, () => true)).toMatchObject({
			email: other.email
		});
		expect(await nextValue(live, api.notes.list, {}, () => true)).toEqual([]);
		await other.client.action(api.auth.signOut, {});
		const error = await refused;
		expect(error).toBeInstanceOf(ConvexError);
		expect((error as ConvexError<Value>).data).toEqual({ code: 'UNAUTHENTICATED' });
	});

	test('a bad token is refused and reported to setAuth as unauthenticated', async () => {
		const changes: boolean[] = [];
		const done = new Promise<void>((resolve) => {
			authedClient('bad.token.here', (authenticated) => {
				changes.push(authenticated);
				resolve();
			});
		});
		await done;
		expect(changes).toEqual([false]);
	});

	test('every ModifyQuerySet and Authenticate gets a Transition that starts where the last ended', async () => {
		const raw = await RawSync.open(env.emulator.url);
		try {
			raw.send({ type: 'Authenticate', tokenType: 'User', value: env.user.token, baseVersion: 0 });
			raw.send({
				type: 'ModifyQuerySet',
				baseVersion: 0,
				newVersion: 1,
				modifications: [{ type: 'Add', queryId: 0, udfPath: 'users:me', args: [{}] }]
			});
			raw.send({ type: 'ModifyQuerySet', baseVersion: 1, newVersion: 2, modifications: [] });
			raw.send({ type: 'Authenticate', tokenType: 'None', baseVersion: 1 });
			const transitions = [];
			for (let i = 0; i < 4; i++) transitions.push(await raw.next('Transition'));
			expect(transitions[0].startVersion).toEqual({ querySet: 0, identity: 0, ts: 'AAAAAAAAAAA=' });
			for (let i = 1; i < 4; i++)
				expect(transitions[i].startVersion).toEqual(transitions[i - 1].endVersion);
			expect(transitions.map((t) => t.endVersion)).toMatchObject([
				{ querySet: 0, identity: 1 },
				{ querySet: 1, identity: 1 },
				{ querySet: 2, identity: 1 },
				{ querySet: 2, identity: 2 }
			]);
			expect(transitions[1].modifications).toEqual([
				expect.objectContaining({
					type: 'QueryUpdated',
					queryId: 0,
					value: expect.objectContaining({ email: env.user.email })
				})
			]);
			// Unchanged results are not re-sent; a changed one (now signed out, so refused) is.
			expect(transitions[2].modifications).toEqual([]);
			expect(transitions[3].modifications).toEqual([
				expect.objectContaining({
					type: 'QueryFailed',
					queryId: 0,
					errorData: { code: 'UNAUTHENTICATED' }
				})
			]);
		} finally {
			await raw.close();
		}
	});

	test('a mutation re-sent on a new connection with the same session and request id runs once', async () => {
		const sessionId = crypto.randomUUID();
		const mutation = {
			type: 'Mutation',
			requestId: 0,
			udfPath: 'notes:create',
			args: [{ text: 'exactly once' }]
		};
		const first = await RawSync.open(env.emulator.url, sessionId);
		first.send({ type: 'Authenticate', tokenType: 'User', value: env.user.token, baseVersion: 0 });
		first.send(mutation);
		const answer = await first.next('MutationResponse');
		await first.close();

		const second = await RawSync.open(env.emulator.url, sessionId);
		second.send({ type: 'Authenticate', tokenType: 'User', value: env.user.token, baseVersion: 0 });
		second.send(mutation);
		expect(await second.next('MutationResponse')).toEqual(answer);
		// The client resolves the mutation only on a Transition at or past its ts: one must follow.
		const ts = (encoded: unknown) => Buffer.from(String(encoded), 'base64').readBigUInt64LE();
		let transition = await second.next('Transition');
		while (ts((transition.endVersion as { ts: string }).ts) < ts(answer.ts))
			transition = await second.next('Transition');
		await second.close();
		const notes = await env.user.client.query(api.notes.list, {});
		expect(notes.filter((n) => n.text === 'exactly once')).toHaveLength(1);
	});

	/** A connection authenticated with a 1-second token of the user's, once that token has expired. */
	async function expiredConnection() {
		const raw = await RawSync.open(env.emulator.url);
		// The signed-up user's own session, so a function run with it would succeed.
		const sub = decodeJwt(env.user.token).sub;
		const shortLived = await mintToken(env.emulator.env, { sub, expiresInSeconds: 1 });
		raw.send({ type: 'Authenticate', tokenType: 'User', value: shortLived, baseVersion: 0 });
		expect(await raw.next('Transition')).toMatchObject({ endVersion: { identity: 1 } });
		// Past the expiry by more than a clock-driven AuthError would need to arrive.
		const expiredAt = (decodeJwt(shortLived).exp as number) * 1000;
		await new Promise((resolve) => setTimeout(resolve, expiredAt + 300 - Date.now()));
		expect(raw.messages.map((m) => m.type)).toEqual(['Transition']);
		return { raw, sub: sub! };
	}

	test('an idle connection keeps its expired token until the next transition, then gets AuthError', async () => {
		const { raw, sub } = await expiredConnection();
		const counted = env.emulator.stats().expiredTokens[sub] ?? 0;
		// Any write computes a transition for every connection.
		await env.user.client.mutation(api.notes.create, { text: 'wakes the idle connection' });
		expect(await raw.next('AuthError')).toMatchObject({
			baseVersion: 1,
			authUpdateAttempted: false,
			error: expect.stringContaining('expired')
		});
		await raw.closed;
		expect(raw.messages.map((m) => m.type)).toEqual(['Transition', 'AuthError']);
		// Counted for the relay's tests, which prove it re-authenticates before expiry.
		expect(env.emulator.stats().expiredTokens[sub]).toBe(counted + 1);
	});

	test('a mutation sent with an expired token gets AuthError and does not run', async () => {
		const { raw } = await expiredConnection();
		const text = `sent with an expired token ${crypto.randomUUID()}`;
		raw.send({ type: 'Mutation', requestId: 0, udfPath: 'notes:create', args: [{ text }] });
		expect(await raw.next('AuthError')).toMatchObject({ authUpdateAttempted: false });
		await raw.closed;
		expect(raw.messages.map((m) => m.type)).toEqual(['Transition', 'AuthError']);
		const notes = await env.user.client.query(api.notes.list, {});
		expect(notes.map((n) => n.text)).not.toContain(text);
	});

	test('a bad token sent in Authenticate gets AuthError with authUpdateAttempted', async () => {
		const raw = await RawSync.open(env.emulator.url);
		const expired = await mintToken(env.emulator.env, { expiresInSeconds: -1 });
		raw.send({ type: 'Authenticate', tokenType: 'User', value: expired, baseVersion: 0 });
		expect(await raw.next('AuthError')).toMatchObject({
			baseVersion: 0,
			authUpdateAttempted: true,
			error: expect.stringContaining('Unauthenticated')
		});
		await raw.closed;
	});

	test('a message that is not JSON ends the connection with a FatalError, and nothing else', async () => {
		const raw = await RawSync.open(env.emulator.url);
		raw.send('{nope');
		expect(await raw.next('FatalError')).toMatchObject({ error: expect.any(String) });
		await raw.closed;
		expect(await new ConvexHttpClient(env.emulator.url).query(api.auth.isAuthenticated, {})).toBe(
			false
		);
	});
});

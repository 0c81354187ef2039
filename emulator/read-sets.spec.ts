import { ConvexHttpClient } from 'convex/browser';
import { afterEach, describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { ReadSet, type Change } from './read-sets.ts';
import { RawSync } from './test-raw-sync.ts';
import { emulatorWithUser, signUp } from './test-helpers.ts';

// The syscall arguments convex/server sends, as a query makes them.
const byOwner = (owner: unknown) => ({
	query: {
		source: {
			type: 'IndexRange',
			indexName: 'notes.by_owner',
			range: [{ type: 'Eq', fieldPath: 'owner', value: owner }],
			order: 'desc'
		},
		operators: []
	}
});
/** A document of `table` written with this owner; `before`: its owner until then, if it existed. */
const note = (id: string, owner: string, table = 'notes', before?: string): Change => ({
	table,
	id,
	before: before === undefined ? null : { _id: id, owner: before },
	after: { _id: id, owner, text: 'x' }
});

describe('a read set', () => {
	test('an index range is touched by documents entering or leaving it, not by others', () => {
		const reads = new ReadSet();
		reads.record('1.0/queryStream', byOwner('1users'));
		expect(reads.touches(note('1notes', '1users'))).toBe(true);
		expect(reads.touches(note('2notes', '2users'))).toBe(false);
		// Moved from this owner to another: the range loses it.
		expect(reads.touches(note('3notes', '2users', 'notes', '1users'))).toBe(true);
		expect(reads.touches(note('4notes', '1users', 'users'))).toBe(false);
	});

	test('a document read by id is touched by its own changes only', () => {
		const reads = new ReadSet();
		reads.record('1.0/get', { id: '5authSessions' });
		expect(
			reads.touches({ table: 'authSessions', id: '5authSessions', before: {}, after: null })
		).toBe(true);
		expect(
			reads.touches({ table: 'authSessions', id: '6authSessions', before: null, after: {} })
		).toBe(false);
	});

	test('scans, counts and searches read the whole table', () => {
		for (const [op, args] of [
			['1.0/queryStream', { query: { source: { type: 'FullTableScan', tableName: 'notes' } } }],
			[
				'1.0/queryPage',
				{ query: { source: { type: 'Search', indexName: 'notes.search', filters: [] } } }
			],
			['1.0/count', { table: 'notes' }]
		] as const) {
			const reads = new ReadSet();
			reads.record(op, args);
			expect(reads.touches(note('7notes', 'anyone')), op).toBe(true);
			expect(reads.touches(note('7users', 'anyone', 'users')), op).toBe(false);
		}
	});

	test('a change that names no document touches every read of its table', () => {
		const reads = new ReadSet();
		reads.record('1.0/get', { id: '8_scheduled_functions' });
		expect(reads.touches({ table: '_scheduled_functions', id: null })).toBe(true);
		expect(reads.touches({ table: '_storage', id: null })).toBe(false);
	});

	test('what it cannot narrow counts as touched: encoded values, unknown syscalls, new code', () => {
		const encoded = new ReadSet();
		encoded.record('1.0/queryStream', byOwner({ $undefined: null }));
		expect(encoded.touches(note('9notes', '1users'))).toBe(true);
		const unknown = new ReadSet();
		unknown.record('1.0/somethingNew', {});
		expect(unknown.touches(note('9notes', '1users'))).toBe(true);
		expect(new ReadSet().touches('code')).toBe(true);
		expect(new ReadSet().touches(note('9notes', '1users'))).toBe(false);
	});
});

describe('subscriptions run again only when a write touched what they read', () => {
	const env = emulatorWithUser();
	const sockets: RawSync[] = [];
	afterEach(async () => {
		await Promise.all(sockets.splice(0).map((s) => s.close()));
	});

	/** A socket signed in with `token`, subscribed to notes:list, its first result taken. */
	async function listing(token: string) {
		const raw = await RawSync.open(env.emulator.url);
		sockets.push(raw);
		raw.send({ type: 'Authenticate', tokenType: 'User', value: token, baseVersion: 0 });
		raw.send({
			type: 'ModifyQuerySet',
			baseVersion: 0,
			newVersion: 1,
			modifications: [{ type: 'Add', queryId: 0, udfPath: 'notes:list', args: [{}] }]
		});
		await raw.next('Transition');
		expect((await raw.next('Transition')).modifications).toHaveLength(1);
		return raw;
	}
	const listCalls = () => env.emulator.stats().calls['notes:list'] ?? 0;

	/** Transitions up to the first that passes `last`. */
	async function transitionsUntil(raw: RawSync, last: (t: Record<string, unknown>) => boolean) {
		const seen = [await raw.next('Transition')];
		while (!last(seen[seen.length - 1])) seen.push(await raw.next('Transition'));
		return seen;
	}

	test("another user's note does not run this client's query", async () => {
		const other = await signUp(env.emulator.url);
		const writer = await listing(env.user.token);
		const bystander = await listing(other.token);
		const before = listCalls();
		await env.user.client.mutation(api.notes.create, { text: 'only mine' });
		const mine = await transitionsUntil(writer, (t) => (t.modifications as []).length > 0);
		expect(mine.at(-1)?.modifications).toEqual([
			expect.objectContaining({ type: 'QueryUpdated', queryId: 0 })
		]);
		// Every ModifyQuerySet gets a Transition, queued behind the refresh the write caused.
		bystander.send({ type: 'ModifyQuerySet', baseVersion: 1, newVersion: 2, modifications: [] });
		const theirs = await transitionsUntil(
			bystander,
			(t) => (t.endVersion as { querySet: number }).querySet === 2
		);
		expect(theirs.flatMap((t) => t.modifications)).toEqual([]);
		expect(listCalls() - before).toBe(1);
	});

	test("a note's removal and a new identity run the query again", async () => {
		const id = await env.user.client.mutation(api.notes.create, { text: 'to remove' });
		const raw = await listing(env.user.token);
		await new ConvexHttpClient(env.emulator.url, { auth: env.user.token }).mutation(
			api.notes.remove,
			{ id }
		);
		const removed = await raw.next('Transition');
		expect(JSON.stringify(removed.modifications)).not.toContain('to remove');
		expect(removed.modifications).toHaveLength(1);
		const before = listCalls();
		raw.send({ type: 'Authenticate', tokenType: 'None', baseVersion: 1 });
		expect((await raw.next('Transition')).modifications).toEqual([
			expect.objectContaining({ type: 'QueryFailed', queryId: 0 })
		]);
		expect(listCalls() - before).toBe(1);
	});
});

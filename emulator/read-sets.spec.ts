import { describe, expect, test } from 'vitest';
import { ReadSet, type Change } from './read-sets.ts';

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

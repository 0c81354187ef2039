import { AsyncLocalStorage } from 'node:async_hooks';
import { convexToJson, type Value } from 'convex/values';
import { tableOf } from './database.ts';

type Fields = Record<string, unknown>;

/**
 * What one write did, as subscriptions need to know it: a document's version before and after
 * (null where it did not exist), or, where the emulator cannot tell which documents (the
 * scheduler's and file storage's own tables), the table as a whole; or new code, which every
 * query must run again.
 */
export type Change =
	| { table: string; id: string; before: Fields | null; after: Fields | null }
	| { table: string; id: null }
	| 'code';

/** Documents whose index fields equal `eq` (convex-encoded JSON, by field path) in `table`. */
type IndexPrefix = { table: string; eq: [path: string, value: unknown][] };

/**
 * What one query run read, kept the way Convex keeps read sets: the index ranges it scanned (here
 * narrowed by their equality conditions only, so a range is never smaller than what was read) and
 * the documents it fetched by id. A change that cannot have altered any of it leaves the query's
 * result as it was, so the query need not run again; anything the emulator does not know how to
 * narrow counts as reading everything.
 */
export class ReadSet {
	private everything = false;
	/** Tables read as a whole: full scans, search, counts. */
	private readonly tables = new Set<string>();
	private readonly ranges: IndexPrefix[] = [];
	private readonly ids = new Set<string>();
	/** Every table read in any way, for changes that name no document. */
	private readonly seen = new Set<string>();

	/** Notes one syscall a query made; `args` is what the function sent (parsed JSON). */
	record(op: string, args: Fields): void {
		switch (op) {
			case '1.0/get':
				this.ids.add(String(args.id));
				this.seen.add(tableOf(String(args.id)));
				return;
			case '1.0/queryStream':
			case '1.0/queryPage':
				return this.source((args.query as { source: Fields }).source);
			case '1.0/count':
				return this.table(String(args.table));
			case '1.0/storageGetUrl':
				return this.table('_storage');
			default:
				if (!PURE.has(op)) this.everything = true;
		}
	}

	touches(change: Change): boolean {
		if (this.everything || change === 'code') return true;
		if (change.id === null) return this.seen.has(change.table);
		if (this.ids.has(change.id) || this.tables.has(change.table)) return true;
		return this.ranges.some(
			(range) =>
				range.table === change.table &&
				(inRange(range, change.before) || inRange(range, change.after))
		);
	}

	private table(name: string) {
		this.tables.add(name);
		this.seen.add(name);
	}

	private source(source: Fields) {
		// Scans name their table; index ranges and searches name `table.index`.
		const table = String(source.tableName ?? source.indexName).split('.')[0];
		if (source.type !== 'IndexRange') return this.table(table);
		const eq = (source.range as Fields[])
			.filter((bound) => bound.type === 'Eq')
			.map((bound): [string, unknown] => [String(bound.fieldPath), bound.value]);
		this.ranges.push({ table, eq });
		this.seen.add(table);
	}
}

/** Syscalls a query may make that read no data, or whose reads are recorded by other syscalls. */
const PURE = new Set([
	'1.0/queryStreamNext',
	'1.0/queryCleanup',
	'1.0/getSnapshotTs',
	'1.0/db/normalizeId',
	'1.0/getTransactionMetrics',
	'1.0/getFunctionMetadata',
	'1.0/getRequestMetadata',
	'1.0/getDeploymentMetadata',
	'1.0/auditLog',
	'1.0/createFunctionHandle',
	// A nested ctx.runQuery: its own syscalls are recorded as it makes them.
	'1.0/runUdf'
]);

function inRange(range: IndexPrefix, doc: Fields | null): boolean {
	if (doc === null) return false;
	return range.eq.every(([path, expected]) => {
		const actual = path
			.split('.')
			.reduce<unknown>((v, key) => (v as Fields | undefined)?.[key], doc);
		// Encoded values (undefined, int64, bytes, non-finite numbers, arrays, objects) compared
		// here could differ in key order only: count them as equal rather than risk a missed update.
		if (typeof expected === 'object' && expected !== null) return true;
		return actual !== undefined && convexToJson(actual as Value) === expected;
	});
}

// Kept on globalThis: the syscall hook is installed once per process, by whichever copy of this
// module loaded first (vitest re-imports per file), and must find the same storage.
const STORAGE = Symbol.for('convex-emulator.readSets');
const g = globalThis as unknown as { [STORAGE]?: AsyncLocalStorage<ReadSet> };
const storage = (g[STORAGE] ??= new AsyncLocalStorage<ReadSet>());

/** Runs `fn`, recording into `reads` every read the Convex functions it starts make. */
export function recordingReads<T>(reads: ReadSet, fn: () => Promise<T>): Promise<T> {
	return storage.run(reads, fn);
}

/** The read set being recorded in the current async context, if any. */
export function currentReads(): ReadSet | undefined {
	return storage.getStore();
}

/** Tells every subscriber what each write changed, as the write happens. */
export class Changes {
	private readonly listeners = new Set<(change: Change) => void>();

	publish(change: Change): void {
		for (const listener of this.listeners) listener(change);
	}

	subscribe(listener: (change: Change) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
}

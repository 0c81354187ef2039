import { AsyncLocalStorage } from 'node:async_hooks';

/** convex-test's private per-instance state, reached the one way it exposes: its async context. */
export type Document = Record<string, unknown> & { _id: string; _creationTime: number };
export type DatabaseFake = {
	_documents: Record<string, Document>;
	_lastCreationTime: number;
	_generateId(table: string): string;
	/** A document as the running transaction sees it (its own pending writes included). */
	get(table: string, id: string): Document | null;
	/** Throws when `fields` (a document without `_id`/`_creationTime`) breaks the table's schema. */
	_validate(table: string, fields: Record<string, unknown>): void;
};
export type ConvexGlobal = { components: Record<string, { db: DatabaseFake }> };

/** Every document of every component ('' is the app), as the database holds them. */
export type Snapshot = Record<string, Document[]>;

/**
 * The state behind a convex-test instance. Every accessor method enters convex-test's context
 * synchronously, so one no-op `run` shows which store it puts in its AsyncLocalStorage.
 */
export async function convexGlobalOf(t: {
	run(fn: () => Promise<void>): Promise<unknown>;
}): Promise<ConvexGlobal> {
	let store: ConvexGlobal | undefined;
	const run = AsyncLocalStorage.prototype.run;
	AsyncLocalStorage.prototype.run = function (
		this: AsyncLocalStorage<unknown>,
		value: unknown,
		callback: (...args: unknown[]) => unknown,
		...args: unknown[]
	) {
		if (store === undefined && isConvexGlobal(value)) store = value;
		return run.call(this, value, callback, ...args);
	} as typeof run;
	let done: Promise<unknown>;
	try {
		done = t.run(async () => {});
	} finally {
		AsyncLocalStorage.prototype.run = run;
	}
	await done;
	const db = store?.components['']?.db;
	if (store === undefined || db === undefined || typeof db._generateId !== 'function') {
		throw new Error('This convex-test version keeps its database elsewhere: update database.ts');
	}
	return store;
}

function isConvexGlobal(value: unknown): value is ConvexGlobal {
	return typeof value === 'object' && value !== null && 'components' in value;
}

/** The table an id belongs to: convex-test ids are digits followed by the table name. */
export const tableOf = (id: string) => id.replace(/^\d+/, '');

/**
 * A document by id in whichever component holds it; ids are random, so at most one does. A
 * malformed id finds nothing: the write it came with fails on its own, with convex-test's error.
 */
export function documentById(global: ConvexGlobal, id: string): Document | null {
	for (const { db } of Object.values(global.components)) {
		try {
			const document = db.get(tableOf(id), id);
			if (document !== null) return document;
		} catch {
			return null;
		}
	}
	return null;
}

export function snapshot(global: ConvexGlobal): Snapshot {
	return Object.fromEntries(
		Object.entries(global.components).map(([path, { db }]) => [path, Object.values(db._documents)])
	);
}

/** Puts documents back, ids and creation times included; components this instance lacks are skipped. */
export function restore(global: ConvexGlobal, data: Snapshot): void {
	for (const [path, documents] of Object.entries(data)) {
		const db = global.components[path]?.db;
		if (db === undefined) continue;
		for (const doc of documents) {
			db._documents[doc._id] = doc;
			db._lastCreationTime = Math.max(db._lastCreationTime, doc._creationTime);
		}
	}
}

/**
 * What a new schema says about documents already stored: one line per document it refuses (the
 * first few), as a deployment refuses such a push. System tables (`_scheduled_functions`, …) and
 * tables the schema does not list are not checked, as Convex does not check them either.
 */
export function violations(global: ConvexGlobal, data: Snapshot, max = 5): string[] {
	const found: string[] = [];
	for (const [path, documents] of Object.entries(data)) {
		const db = global.components[path]?.db;
		if (db === undefined) continue;
		for (const document of documents) {
			const { _id, ...fields } = document;
			// The schema describes a document's own fields; the system fields are checked by the store.
			delete (fields as Partial<Document>)._creationTime;
			const table = tableOf(_id);
			if (table.startsWith('_')) continue;
			try {
				db._validate(table, fields);
			} catch (error) {
				const where = path === '' ? table : `${path}/${table}`;
				found.push(`${where} ${_id}: ${(error as Error).message.split('\n')[0]}`);
				if (found.length === max) return found;
			}
		}
	}
	return found;
}

/**
 * Hands the documents to a new instance (new code) by reference, so a write that an old-code
 * function still in flight commits lands in the one store both share.
 */
export function moveData(from: ConvexGlobal, to: ConvexGlobal): void {
	for (const [path, { db }] of Object.entries(to.components)) {
		const old = from.components[path]?.db;
		if (old === undefined) continue;
		db._documents = old._documents;
		db._lastCreationTime = old._lastCreationTime;
	}
}

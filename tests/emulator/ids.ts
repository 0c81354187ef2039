import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** 40 random decimal digits (133 bits): an id nobody can guess from another. */
const ID_DIGITS = 40;

type DatabaseFake = { _generateId(table: string): string };
type ConvexGlobal = { components: Record<string, { db: DatabaseFake }> };

const PATCHED = Symbol.for('convex-emulator.randomIds');

/**
 * convex-test numbers documents 10000, 10001, … So a refresh token (`<id>|<id>`) or a session id
 * seen once gives away its neighbours. Real Convex ids are opaque and random; this makes the
 * fake's generator draw random ones instead.
 *
 * convex-test reads the table back from the id itself (leading digits, then the table name), in
 * validators, `normalizeId` and `db.get`, so the shape stays: only the digits become random. The
 * generator is replaced where convex-test creates ids, so every consumer (functions, JWT `sub`,
 * refresh tokens, the wire) sees the same id and nothing needs translating.
 *
 * The database object is private to convex-test; it is reached through the store convex-test puts
 * in its AsyncLocalStorage when any accessor method is called.
 */
export async function useRandomIds(t: { run(fn: () => Promise<void>): Promise<unknown> }) {
	const db = await rootDatabase(t);
	const prototype = Object.getPrototypeOf(db) as DatabaseFake & { [PATCHED]?: true };
	if (prototype[PATCHED]) return;
	prototype[PATCHED] = true;
	prototype._generateId = randomId;
}

export function randomId(table: string): string {
	let digits = '';
	while (digits.length < ID_DIGITS) {
		// Bytes from 250 up are skipped so that every digit is equally likely.
		for (const byte of randomBytes(ID_DIGITS)) if (byte < 250) digits += byte % 10;
	}
	return digits.slice(0, ID_DIGITS) + table;
}

async function rootDatabase(t: {
	run(fn: () => Promise<void>): Promise<unknown>;
}): Promise<DatabaseFake> {
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
		// Every accessor method enters convex-test's context synchronously.
		done = t.run(async () => {});
	} finally {
		AsyncLocalStorage.prototype.run = run;
	}
	await done;
	const db = store?.components['']?.db;
	if (db === undefined || typeof db._generateId !== 'function') {
		throw new Error('This convex-test version keeps its database elsewhere: update ids.ts');
	}
	return db;
}

function isConvexGlobal(value: unknown): value is ConvexGlobal {
	return typeof value === 'object' && value !== null && 'components' in value;
}

import { randomBytes } from 'node:crypto';
import type { ConvexGlobal, DatabaseFake } from './database.ts';

/** 40 random decimal digits (133 bits): an id nobody can guess from another. */
const ID_DIGITS = 40;

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
 */
export function useRandomIds(global: ConvexGlobal): void {
	const db = global.components[''].db;
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

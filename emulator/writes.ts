import { AsyncLocalStorage } from 'node:async_hooks';
import { tableOf } from './database.ts';
import { currentReads, type Change } from './read-sets.ts';

type Fields = Record<string, unknown>;

/** Syscalls that change one document, named by `args.id` (insert's id is in its result). */
const DOCUMENT_WRITES = new Set(['1.0/insert', '1.0/shallowMerge', '1.0/replace', '1.0/remove']);
/** Syscalls that change a system table's documents without naming one to the caller. */
const TABLE_WRITES = new Map([
	['1.0/schedule', '_scheduled_functions'],
	['1.0/cancel_job', '_scheduled_functions'],
	['1.0/actions/schedule', '_scheduled_functions'],
	['1.0/actions/cancel_job', '_scheduled_functions'],
	['1.0/storageDelete', '_storage'],
	['storage/storeBlob', '_storage']
]);

type Syscalls = {
	syscall: (op: string, args: string) => string;
	asyncSyscall: (op: string, args: string) => Promise<string>;
	jsSyscall: (op: string, args: unknown) => unknown;
};
/** A document as the store holds it now (pending writes of the running transaction included). */
export type DocumentOf = (id: string) => Fields | null;
type Listener = { onWrite: (change: Change) => void; documentOf: DocumentOf };

// Kept on globalThis: a second copy of this module (vitest re-imports per file) must share them.
const HOOK = Symbol.for('convex-emulator.writeHook');
const LISTENERS = Symbol.for('convex-emulator.writeListeners');
type Global = { Convex?: Syscalls & { [HOOK]?: true }; [LISTENERS]?: Set<Listener> };
const g = globalThis as unknown as Global;
const listeners = (g[LISTENERS] ??= new Set());

/**
 * Calls `onWrite` with what every write any Convex function makes changed, including scheduled
 * functions and the mutations an action runs, none of which the emulator calls directly, and
 * records each read into the read set of the query making it (read-sets.ts). convex-test routes
 * all of them through the `Convex` global it installs; we wrap that global once.
 *
 * The hook fires inside the function's async context, where convex-test's AsyncLocalStorage holds
 * the caller's transaction, identity and forbidden timers; `onWrite` runs in the context captured
 * here instead, so nothing it schedules inherits them. `documentOf` reads a document's versions
 * before and after the write. Returns an unsubscribe function.
 */
export function onEveryWrite(
	onWrite: (change: Change) => void,
	documentOf: DocumentOf
): () => void {
	installHook();
	const outside = AsyncLocalStorage.snapshot();
	const listener = { onWrite: (change: Change) => outside(onWrite, change), documentOf };
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Runs one syscall, telling the listeners what it changed or recording what it read. */
async function observed<T>(op: string, args: unknown, call: () => Promise<T> | T): Promise<T> {
	const table = TABLE_WRITES.get(op);
	if (table !== undefined) {
		const result = await call();
		for (const { onWrite } of listeners) onWrite({ table, id: null });
		return result;
	}
	if (!DOCUMENT_WRITES.has(op)) {
		currentReads()?.record(op, parsed(args));
		return await call();
	}
	const named = op === '1.0/insert' ? null : String(parsed(args).id);
	// The listeners as the write starts: each gets the versions it read itself, before and after.
	const reading = [...listeners].map((listener) => ({
		listener,
		before: named === null ? null : listener.documentOf(named)
	}));
	const result = await call();
	const id = named ?? String(parsed(result)._id);
	for (const { listener, before } of reading) {
		listener.onWrite({ table: tableOf(id), id, before, after: listener.documentOf(id) });
	}
	return result;
}

const parsed = (json: unknown): Fields =>
	typeof json === 'string' ? (JSON.parse(json) as Fields) : ((json ?? {}) as Fields);

function installHook(): void {
	const inner = g.Convex;
	if (inner === undefined) throw new Error('convex-test must be initialised before the write hook');
	if (inner[HOOK]) return;
	g.Convex = {
		[HOOK]: true,
		get syscall() {
			const call = inner.syscall;
			// Synchronous syscalls write nothing; only reads (a query's start) are recorded.
			return (op: string, args: string) => {
				currentReads()?.record(op, parsed(args));
				return call(op, args);
			};
		},
		get asyncSyscall() {
			const call = inner.asyncSyscall;
			return (op: string, args: string) => observed(op, args, () => call(op, args));
		},
		get jsSyscall() {
			const call = inner.jsSyscall;
			return (op: string, args: unknown) => observed(op, args, () => call(op, args));
		}
	};
}

import { AsyncLocalStorage } from 'node:async_hooks';

/** Syscalls through which convex/server changes data: after any of them, subscriptions re-run. */
const WRITE_OPS = new Set([
	'1.0/insert',
	'1.0/shallowMerge',
	'1.0/replace',
	'1.0/remove',
	'1.0/schedule',
	'1.0/cancel_job',
	'1.0/storageDelete',
	'storage/storeBlob'
]);

type Syscalls = {
	syscall: (op: string, args: string) => string;
	asyncSyscall: (op: string, args: string) => Promise<string>;
	jsSyscall: (op: string, args: unknown) => unknown;
};

// Kept on globalThis: a second copy of this module (vitest re-imports per file) must share them.
const HOOK = Symbol.for('convex-emulator.writeHook');
const LISTENERS = Symbol.for('convex-emulator.writeListeners');
type Global = { Convex?: Syscalls & { [HOOK]?: true }; [LISTENERS]?: Set<() => void> };
const g = globalThis as unknown as Global;
const listeners = (g[LISTENERS] ??= new Set());

/**
 * Calls `onWrite` after every write any Convex function makes, including scheduled functions and
 * the mutations an action runs, none of which the emulator calls directly. convex-test routes all
 * of them through the `Convex` global it installs; we wrap that global once.
 *
 * The hook fires inside the function's async context, where convex-test's AsyncLocalStorage holds
 * the caller's transaction, identity and forbidden timers; `onWrite` runs in the context captured
 * here instead, so nothing it schedules inherits them. Returns an unsubscribe function.
 */
export function onEveryWrite(onWrite: () => void): () => void {
	installHook();
	const outside = AsyncLocalStorage.snapshot();
	const listener = () => outside(onWrite);
	listeners.add(listener);
	return () => listeners.delete(listener);
}

function installHook(): void {
	const inner = g.Convex;
	if (inner === undefined) throw new Error('convex-test must be initialised before the write hook');
	if (inner[HOOK]) return;
	const notify = (op: string) => {
		if (WRITE_OPS.has(op)) for (const listener of listeners) listener();
	};
	g.Convex = {
		[HOOK]: true,
		get syscall() {
			return inner.syscall;
		},
		get asyncSyscall() {
			const call = inner.asyncSyscall;
			return async (op: string, args: string) => {
				const result = await call(op, args);
				notify(op);
				return result;
			};
		},
		get jsSyscall() {
			const call = inner.jsSyscall;
			return async (op: string, args: unknown) => {
				const result = await call(op, args);
				notify(op);
				return result;
			};
		}
	};
}

import { randomBytes } from 'node:crypto';
import { convexToJson, type Value } from 'convex/values';
import type { CallResult } from './call-result.ts';
import { CallError } from './functions.ts';

/**
 * A function's failure as a client sees it. A production deployment keeps only a request id for
 * anything but a `ConvexError`, so app code that reads message text breaks there and nowhere else;
 * the emulator does the same unless `devErrors` asks for a dev deployment's message and stack.
 */
export function clientFailure(error: unknown, devErrors: boolean): CallResult {
	const prefix = `[Request ID: ${randomBytes(8).toString('hex')}] Server Error`;
	// The caller's own mistake (unknown function, wrong kind), reported before anything runs.
	if (error instanceof CallError)
		return { status: 'error', errorMessage: `${prefix}\n${error.message}` };
	const e = asError(error);
	// Identified by the symbol, not instanceof: convex/values may be loaded twice (vitest, tsx).
	if (Symbol.for('ConvexError') in e) {
		const data = (e as { data?: Value }).data;
		return {
			status: 'error',
			errorMessage: `${prefix}\n${uncaught(e)}`,
			errorData: convexToJson(data ?? null)
		};
	}
	if (!devErrors) return { status: 'error', errorMessage: prefix };
	return { status: 'error', errorMessage: `${prefix}\n${uncaught(e)}${frames(e)}` };
}

type Handler = (ctx: Record<string, unknown>, ...rest: unknown[]) => unknown;
type Registered = { isAction?: boolean; isHttp?: boolean; _handler?: Handler };
type Router = { lookup(path: string, method: string): [Registered, ...unknown[]] | null };

/**
 * A function module's exports, with every action (and, in `http`, every HTTP action) seeing the
 * failures of the functions it runs the way Convex hands them over: a `ConvexError` as itself,
 * anything else as text, `Uncaught Error: …` followed by the stack. convex-test passes the
 * original error through, so code comparing that message would work here and nowhere else.
 * The exports are wrapped, not changed: convex-test reads each function's `_handler`.
 */
export function withNestedCallErrors(exports: Record<string, unknown>): Record<string, unknown> {
	const wrapped: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(exports)) {
		wrapped[name] = isRouter(value) ? routerProxy(value) : functionProxy(value);
	}
	return wrapped;
}

function functionProxy(value: unknown): unknown {
	const fn = value as Registered;
	if (typeof value !== 'function' || !(fn.isAction || fn.isHttp) || !fn._handler) return value;
	const handler = fn._handler;
	const _handler: Handler = (ctx, ...rest) => handler(nestedCallsOf(ctx), ...rest);
	return new Proxy(fn, {
		get: (target, key, receiver) =>
			key === '_handler' ? _handler : Reflect.get(target, key, receiver)
	});
}

function routerProxy(router: Router): Router {
	return new Proxy(router, {
		get(target, key, receiver) {
			if (key !== 'lookup') return Reflect.get(target, key, receiver);
			return (path: string, method: string) => {
				const found = target.lookup(path, method);
				return found && [functionProxy(found[0]), ...found.slice(1)];
			};
		}
	});
}

function nestedCallsOf(ctx: Record<string, unknown>): Record<string, unknown> {
	const wrapped = { ...ctx };
	for (const name of ['runQuery', 'runMutation', 'runAction']) {
		const run = ctx[name];
		if (typeof run !== 'function') continue;
		wrapped[name] = async (...args: unknown[]) => {
			try {
				return await run(...args);
			} catch (error) {
				throw nestedCallError(error);
			}
		};
	}
	return wrapped;
}

function nestedCallError(error: unknown): unknown {
	const e = asError(error);
	if (Symbol.for('ConvexError') in e) return error;
	return new Error(`${uncaught(e)}${frames(e)}`);
}

function isRouter(value: unknown): value is Router {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as Partial<Router>).lookup === 'function'
	);
}

function uncaught(e: Error): string {
	return `Uncaught ${e.name}: ${e.message}`;
}

function frames(e: Error): string {
	const lines = (e.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
	return lines.length === 0 ? '' : `\n${lines.join('\n')}`;
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}

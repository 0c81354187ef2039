import { randomBytes } from 'node:crypto';
import { convexTest, type TestConvexForDataModel } from 'convex-test';
import { makeFunctionReference, type GenericDataModel, type UserIdentity } from 'convex/server';
import { convexToJson, type JSONValue, type Value } from 'convex/values';
import { CallError, resolvePublicFunction, type FunctionKind } from './functions.ts';
import { loadSchema, type ModuleMap } from './modules.ts';

/** A function's outcome as every transport reports it; errorData only for a ConvexError. */
export type CallResult =
	| { status: 'success'; value: Value }
	| { status: 'error'; errorMessage: string; errorData?: JSONValue };

type Accessor = TestConvexForDataModel<GenericDataModel>;

/** The project's functions in convex-test, callable only the way a client could call them. */
export class Backend {
	private readonly t: Accessor;
	private readonly modules: ModuleMap;
	/** Calls per function path, for tests and benchmarks that count backend round trips. */
	readonly calls = new Map<string, number>();

	private constructor(t: Accessor, modules: ModuleMap) {
		this.t = t;
		this.modules = modules;
	}

	static async create(modules: ModuleMap): Promise<Backend> {
		const t = convexTest(await loadSchema(modules), modules) as unknown as Accessor;
		return new Backend(t, modules);
	}

	/** Runs a public function; `expected` refuses a query sent as a mutation and so on. */
	async call(
		udfPath: string,
		expected: FunctionKind | 'any',
		args: Record<string, Value>,
		identity: UserIdentity | null
	): Promise<CallResult> {
		this.calls.set(udfPath, (this.calls.get(udfPath) ?? 0) + 1);
		try {
			const { path, kind } = await resolvePublicFunction(this.modules, udfPath, expected);
			const as = this.as(identity);
			const value: Value =
				kind === 'query'
					? await as.query(makeFunctionReference<'query'>(path), args)
					: kind === 'mutation'
						? await as.mutation(makeFunctionReference<'mutation'>(path), args)
						: await as.action(makeFunctionReference<'action'>(path), args);
			return { status: 'success', value: value ?? null };
		} catch (error) {
			return failure(error);
		}
	}

	/** An HTTP action from convex/http.ts; convex-test ignores headers, so identity comes apart. */
	fetch(pathAndQuery: string, init: RequestInit, identity: UserIdentity | null): Promise<Response> {
		return this.as(identity).fetch(pathAndQuery, init);
	}

	private as(identity: UserIdentity | null): Accessor {
		return identity === null ? this.t : this.t.withIdentity(identity);
	}
}

function failure(error: unknown): CallResult {
	const prefix = `[Request ID: ${randomBytes(8).toString('hex')}] Server Error\n`;
	if (error instanceof CallError) return { status: 'error', errorMessage: prefix + error.message };
	const e = error instanceof Error ? error : new Error(String(error));
	const errorMessage = `${prefix}Uncaught ${e.name}: ${e.message}`;
	// Identified by the symbol, not instanceof: convex/values may be loaded twice (vitest, tsx).
	if (Symbol.for('ConvexError') in e) {
		const data = (e as { data?: Value }).data;
		return { status: 'error', errorMessage, errorData: convexToJson(data ?? null) };
	}
	return { status: 'error', errorMessage };
}

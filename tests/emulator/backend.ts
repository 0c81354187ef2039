import { convexTest, type TestConvexForDataModel } from 'convex-test';
import { makeFunctionReference, type GenericDataModel, type UserIdentity } from 'convex/server';
import type { JSONValue, Value } from 'convex/values';
import { registerComponents } from './components.ts';
import { clientFailure, withNestedCallErrors } from './errors.ts';
import { resolvePublicFunction, type FunctionKind } from './functions.ts';
import { useRandomIds } from './ids.ts';
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
	private readonly devErrors: boolean;
	/** Calls per function path, for tests and benchmarks that count backend round trips. */
	readonly calls = new Map<string, number>();

	private constructor(t: Accessor, modules: ModuleMap, devErrors: boolean) {
		this.t = t;
		this.modules = modules;
		this.devErrors = devErrors;
	}

	/** `devErrors`: failures carry their message and stack, as on a dev deployment. */
	static async create(functions: ModuleMap, devErrors = false): Promise<Backend> {
		const modules: ModuleMap = {};
		for (const [key, load] of Object.entries(functions)) {
			const generated = key.startsWith('./_generated/');
			modules[key] = generated ? load : () => load().then(withNestedCallErrors);
		}
		const t = convexTest(await loadSchema(modules), modules);
		await registerComponents(t);
		await useRandomIds(t);
		return new Backend(t as unknown as Accessor, modules, devErrors);
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
			return clientFailure(error, this.devErrors);
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

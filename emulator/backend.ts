import { convexTest, type TestConvexForDataModel } from 'convex-test';
import { makeFunctionReference, type GenericDataModel, type UserIdentity } from 'convex/server';
import type { Value } from 'convex/values';
import { registerComponents } from './components.ts';
import {
	convexGlobalOf,
	documentById,
	moveData,
	restore,
	snapshot,
	violations,
	type ConvexGlobal,
	type Snapshot
} from './database.ts';
import type { CallResult } from './call-result.ts';
import { clientFailure, withNestedCallErrors } from './errors.ts';
import { resolvePublicFunction, type FunctionKind } from './functions.ts';
import { useRandomIds } from './ids.ts';
import { loadAll, loadSchema, type ModuleMap } from './modules.ts';

type Accessor = TestConvexForDataModel<GenericDataModel>;
type Instance = { t: Accessor; global: ConvexGlobal; modules: ModuleMap };

/** New code refused: the documents already stored break its schema (one line per document). */
export class SchemaViolation extends Error {
	readonly problems: string[];
	constructor(problems: string[]) {
		super(`Stored documents do not match the new schema:\n  ${problems.join('\n  ')}`);
		this.problems = problems;
	}
}

/** The project's functions in convex-test, callable only the way a client could call them. */
export class Backend {
	private current: Instance;
	private readonly devErrors: boolean;
	/** Calls per function path, for tests and benchmarks that count backend round trips. */
	readonly calls = new Map<string, number>();

	private constructor(current: Instance, devErrors: boolean) {
		this.current = current;
		this.devErrors = devErrors;
	}

	/**
	 * `devErrors`: failures carry their message and stack, as on a dev deployment. `data`: documents
	 * to start with (a saved snapshot); refused, like new code, when they break the schema.
	 */
	static async create(functions: ModuleMap, devErrors = false, data?: Snapshot): Promise<Backend> {
		const instance = await Backend.instance(functions);
		if (data !== undefined) {
			const problems = violations(instance.global, data);
			if (problems.length > 0) throw new SchemaViolation(problems);
			restore(instance.global, data);
		}
		return new Backend(instance, devErrors);
	}

	private static async instance(functions: ModuleMap): Promise<Instance> {
		const modules: ModuleMap = {};
		for (const [key, load] of Object.entries(functions)) {
			const generated = key.startsWith('./_generated/');
			modules[key] = generated ? load : () => load().then(withNestedCallErrors);
		}
		const t = convexTest(await loadSchema(modules), modules);
		await registerComponents(t);
		const global = await convexGlobalOf(t);
		useRandomIds(global);
		return { t: t as unknown as Accessor, global, modules };
	}

	/**
	 * Serves new code with the data kept, as a push to a deployment does. Every module must load and
	 * every stored document must match the new schema, else this throws and the old code keeps
	 * serving: a module's error as it loaded (its file named), or a SchemaViolation.
	 */
	async replace(functions: ModuleMap): Promise<void> {
		await loadAll(functions);
		const next = await Backend.instance(functions);
		const problems = violations(next.global, snapshot(this.current.global));
		if (problems.length > 0) throw new SchemaViolation(problems);
		moveData(this.current.global, next.global);
		this.current = next;
	}

	/** A document by id, as the transaction running now sees it (see writes.ts). */
	document(id: string): Record<string, unknown> | null {
		return documentById(this.current.global, id);
	}

	/** Every stored document, for saving to disk. */
	snapshot(): Snapshot {
		return snapshot(this.current.global);
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
			const { modules } = this.current;
			const { path, kind } = await resolvePublicFunction(modules, udfPath, expected);
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
		const { t } = this.current;
		return identity === null ? t : t.withIdentity(identity);
	}
}

import { loadModule, type ModuleMap } from './modules.ts';

export type FunctionKind = 'query' | 'mutation' | 'action';

/** An error the caller made (unknown or internal function, wrong kind), reported like Convex does. */
export class CallError extends Error {}

/** Same rule as the client's canonicalizeUdfPath: 'notes.js:list' and 'notes:list' are one function. */
export function canonicalizeUdfPath(udfPath: string): string {
	const i = udfPath.lastIndexOf(':');
	let module = i === -1 ? udfPath : udfPath.slice(0, i);
	const name = i === -1 ? 'default' : udfPath.slice(i + 1);
	if (module.endsWith('.js')) module = module.slice(0, -3);
	return `${module}:${name}`;
}

type Registered = {
	isQuery?: boolean;
	isMutation?: boolean;
	isAction?: boolean;
	isPublic?: boolean;
};

const LABEL: Record<FunctionKind, string> = {
	query: 'Query',
	mutation: 'Mutation',
	action: 'Action'
};

/**
 * convex-test runs internal functions by path as happily as public ones, so the public/internal
 * line is drawn here, from the flags convex/server's registration puts on each export.
 * `expected: 'any'` is for endpoints that take any public function (/api/run, /api/function).
 */
export async function resolvePublicFunction(
	modules: ModuleMap,
	udfPath: string,
	expected: FunctionKind | 'any'
): Promise<{ path: string; kind: FunctionKind }> {
	const path = canonicalizeUdfPath(udfPath);
	const [module, name] = [
		path.slice(0, path.lastIndexOf(':')),
		path.slice(path.lastIndexOf(':') + 1)
	];
	const exports = module.startsWith('_') ? null : await loadModule(modules, module);
	const fn = exports?.[name];
	const kind = kindOf(fn);
	if (kind === undefined || (fn as Registered).isPublic !== true) {
		throw new CallError(
			`Could not find public function for '${path}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`
		);
	}
	if (expected !== 'any' && kind !== expected) {
		throw new CallError(
			`Trying to execute ${path} as ${LABEL[expected]}, but it is defined as ${LABEL[kind]}.`
		);
	}
	return { path, kind };
}

function kindOf(fn: unknown): FunctionKind | undefined {
	// Registered functions are functions carrying flags; anything else exported is not callable.
	if (typeof fn !== 'function') return undefined;
	const flags = fn as Registered;
	if (flags.isQuery === true) return 'query';
	if (flags.isMutation === true) return 'mutation';
	if (flags.isAction === true) return 'action';
	return undefined;
}

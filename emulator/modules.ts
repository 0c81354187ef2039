import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SchemaDefinition, GenericSchema } from 'convex/server';

export type ModuleExports = Record<string, unknown>;
export type ModuleLoader = () => Promise<ModuleExports>;
/** convex-test's module map: './notes.ts' → loader. The prefix before `_generated` is its root. */
export type ModuleMap = Record<string, ModuleLoader>;

const SOURCE = /\.(ts|js|mts|mjs)$/;
const NOT_A_MODULE = /(\.d\.ts|\.(spec|test)\.[mc]?[jt]s)$/;

/**
 * Lists convex/ the way the Convex bundler sees it and loads each file lazily with import(), so the
 * same map works under vitest (vite transforms the file) and under tsx (its loader does), without
 * import.meta.glob. `instance` is appended as a query so each emulator evaluates the function
 * modules afresh, after its env is set: auth.ts and auth.config.ts read process.env at import time.
 */
export function convexModules(convexDir: string, instance: number): ModuleMap {
	const map: ModuleMap = {};
	for (const file of listFiles(convexDir)) {
		if (!SOURCE.test(file) || NOT_A_MODULE.test(file)) continue;
		const key = './' + relative(convexDir, file).split(sep).join('/');
		const url = pathToFileURL(file).href;
		// Generated code is env-independent; sharing it keeps one copy of `api` per process.
		const specifier = key.startsWith('./_generated/') ? url : `${url}?emulator=${instance}`;
		map[key] = () => import(/* @vite-ignore */ specifier) as Promise<ModuleExports>;
	}
	if (!Object.keys(map).some((k) => k.startsWith('./_generated/'))) {
		throw new Error(`No convex/_generated/ in ${convexDir}: run \`npx convex codegen\` first.`);
	}
	return map;
}

function listFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : listFiles(path);
		return entry.isFile() ? [path] : [];
	});
}

/** Loads one module of the map by its path without extension ('schema', 'auth.config'). */
export async function loadModule(map: ModuleMap, path: string): Promise<ModuleExports | null> {
	const key = Object.keys(map).find((k) => k.replace(SOURCE, '') === `./${path}`);
	return key === undefined ? null : await map[key]();
}

export async function loadSchema(
	map: ModuleMap
): Promise<SchemaDefinition<GenericSchema, boolean>> {
	const schema = (await loadModule(map, 'schema'))?.default;
	if (schema === undefined) throw new Error('convex/schema.ts has no default export');
	return schema as SchemaDefinition<GenericSchema, boolean>;
}

/**
 * Loads every function module once, so code that cannot load (a syntax error, a throwing import) is
 * reported with its file before it would replace working code. Like the Convex bundler, it skips
 * generated code and names with more than one dot (auth.config.ts, test.setup.ts: not functions).
 */
export async function loadAll(map: ModuleMap): Promise<void> {
	for (const [key, load] of Object.entries(map)) {
		if (
			key.startsWith('./_generated/') ||
			(key.slice(2).split('/').pop() ?? '').split('.').length > 2
		)
			continue;
		try {
			await load();
		} catch (error) {
			throw new ModuleLoadError(key.slice(2), error);
		}
	}
}

export class ModuleLoadError extends Error {
	readonly file: string;
	readonly error: unknown;
	constructor(file: string, error: unknown) {
		super(`convex/${file}: ${error instanceof Error ? error.message : String(error)}`);
		this.file = file;
		this.error = error;
	}
}

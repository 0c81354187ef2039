import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { GenericSchema, SchemaDefinition } from 'convex/server';
import { convexModules, loadSchema } from './modules.ts';

/**
 * The components convex/convex.config.ts installs, with the components they install in turn. A
 * deployment reads that file through its bundler; here it cannot be evaluated (convex/server's
 * `use` works only inside Convex), so the list is written out and components.spec.ts keeps it in
 * step with the file.
 */
export const COMPONENTS: Component[] = [
	{
		name: 'rateLimiter',
		package: '@convex-dev/rate-limiter',
		children: [{ name: 'batchWorker', package: '@convex-dev/batch-worker', children: [] }]
	}
];

type Component = { name: string; package: string; children: Component[] };
type Registrar = {
	registerComponent(
		path: string,
		schema: SchemaDefinition<GenericSchema, boolean>,
		modules: Record<string, () => Promise<Record<string, unknown>>>
	): void;
};

const require = createRequire(import.meta.url);

/**
 * Registers every component with convex-test the way its package's `/test` export does under
 * vitest, but with the module map built from the package's compiled `dist/component/` (that export
 * relies on Vite's import.meta.glob, which a plain Node process lacks).
 */
export async function registerComponents(
	t: Registrar,
	components = COMPONENTS,
	parent = ''
): Promise<void> {
	for (const component of components) {
		const path = parent ? `${parent}/${component.name}` : component.name;
		// Components read no deployment env at import, so one copy per process serves every emulator.
		const modules = convexModules(componentDir(component.package), 0);
		t.registerComponent(path, await loadSchema(modules), modules);
		await registerComponents(t, component.children, path);
	}
}

/** `<package>/dist/component`, found from the package's own convex.config export. */
function componentDir(name: string): string {
	return dirname(require.resolve(`${name}/convex.config.js`));
}

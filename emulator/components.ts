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
	},
	{
		name: 'resend',
		package: '@convex-dev/resend',
		children: [
			{ name: 'rateLimiter', package: '@convex-dev/rate-limiter', children: [] },
			workpool('emailWorkpool'),
			workpool('callbackWorkpool')
		]
	}
];

function workpool(name: string): Component {
	const batchWorker = { name: 'batchWorker', package: '@convex-dev/batch-worker', children: [] };
	return { name, package: '@convex-dev/workpool', children: [batchWorker] };
}

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
	parent = '',
	from = require
): Promise<void> {
	for (const component of components) {
		const path = parent ? `${parent}/${component.name}` : component.name;
		// A child is the version its parent package depends on, resolved from the parent's folder.
		const config = from.resolve(`${component.package}/convex.config.js`);
		// Components read no deployment env at import, so one copy per process serves every emulator.
		const modules = convexModules(dirname(config), 0);
		t.registerComponent(path, await loadSchema(modules), modules);
		await registerComponents(t, component.children, path, createRequire(config));
	}
}

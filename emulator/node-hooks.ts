import module from 'node:module';

type Resolve = (
	specifier: string,
	context: { parentURL?: string },
	next: (specifier: string, context?: unknown) => { url: string }
) => { url: string };

/** The query modules.ts puts on each function module so that every load evaluates it afresh. */
const INSTANCE = /[?&]emulator=\d+/;

/**
 * Two fixes to module resolution for convex/ under Node (run.ts installs them; vitest has its own):
 * - convex/ imports siblings without extensions ('./limits'), as the Convex bundler allows. tsx
 *   resolves those; Node's own TypeScript support does not. So that `node emulator/run.ts`
 *   works too, a relative import Node cannot find is retried as `.ts`, `.js` and a directory.
 * - A function module loaded as `notes.ts?emulator=3` passes its query on to the relative imports
 *   it makes (`./session`), so a reload evaluates the helpers it imports afresh too, not only the
 *   entry file: a change to convex/users.ts reaches every function that uses it.
 */
export function resolveExtensionlessImports(): void {
	const register = (module as unknown as { registerHooks?: (hooks: { resolve: Resolve }) => void })
		.registerHooks;
	if (register === undefined) return;
	register({
		resolve(specifier, context, next) {
			const resolved = resolveRelaxed(specifier, context, next);
			const instance = INSTANCE.exec(context.parentURL ?? '')?.[0];
			const relative = specifier.startsWith('./') || specifier.startsWith('../');
			const url = resolved.url;
			if (!instance || !relative || !url.startsWith('file:') || url.includes('?')) return resolved;
			if (url.includes('/_generated/')) return resolved;
			return { ...resolved, url: `${url}?${instance.slice(1)}` };
		}
	});
}

function resolveRelaxed(...[specifier, context, next]: Parameters<Resolve>): { url: string } {
	try {
		return next(specifier, context);
	} catch (error) {
		const relative = specifier.startsWith('./') || specifier.startsWith('../');
		const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
		if (!relative || !missing || /\.[cm]?[jt]s$/.test(specifier)) throw error;
		for (const suffix of ['.ts', '.js', '/index.ts', '/index.js']) {
			try {
				return next(specifier + suffix, context);
			} catch {
				// try the next spelling
			}
		}
		throw error;
	}
}

import module from 'node:module';

type Resolve = (
	specifier: string,
	context: unknown,
	next: (specifier: string, context?: unknown) => { url: string }
) => { url: string };

/**
 * convex/ imports siblings without extensions ('./limits'), as the Convex bundler allows. tsx
 * resolves those; Node's own TypeScript support does not. So that `node tests/emulator/run.ts`
 * works too, a relative import Node cannot find is retried as `.ts`, `.js` and a directory.
 * Under tsx this hook never fires: tsx has already resolved the import by then.
 */
export function resolveExtensionlessImports(): void {
	const register = (module as unknown as { registerHooks?: (hooks: { resolve: Resolve }) => void })
		.registerHooks;
	if (register === undefined) return;
	register({
		resolve(specifier, context, next) {
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
	});
}

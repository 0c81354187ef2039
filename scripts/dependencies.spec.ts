import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
	dependencies: Record<string, string>;
	devDependencies: Record<string, string>;
};

/** The files a production server or deployment runs: the app, its Convex functions, server.ts. */
function productionFiles(): string[] {
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) return entry.name === '_generated' ? [] : walk(path);
			return /\.(ts|js|svelte)$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [path] : [];
		});
	return [...walk('src'), ...walk('convex'), 'server.ts'];
}

/** The packages a file imports, by name (`@scope/name` or `name`, without a subpath). */
function importedPackages(text: string): string[] {
	const specifiers = [
		...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)
	];
	return specifiers
		.map((m) => m[1] ?? m[2])
		.filter((s) => !/^[.#$/]|^node:/.test(s))
		.map((s) =>
			s
				.split('/')
				.slice(0, s.startsWith('@') ? 2 : 1)
				.join('/')
		);
}

/** What a package asks its host to install beside it (`@auth/core` for `@convex-dev/auth`). */
function peersOf(name: string): string[] {
	const manifest = JSON.parse(readFileSync(join('node_modules', name, 'package.json'), 'utf8'));
	return Object.keys(manifest.peerDependencies ?? {});
}

describe('package.json', () => {
	const imported = productionFiles().flatMap((f) => importedPackages(readFileSync(f, 'utf8')));
	const runtime = imported.filter((name) => name in pkg.dependencies);
	const used = new Set([...imported, ...runtime.flatMap(peersOf)]);

	it('lists as a runtime dependency only what production code imports', () => {
		expect(used.size).toBeGreaterThan(3); // the scan is reading imports
		expect(Object.keys(pkg.dependencies).filter((name) => !used.has(name))).toEqual([]);
	});

	it('reads package names the way imports spell them', () => {
		expect(importedPackages("import { a } from '@convex-dev/auth/server';")).toEqual([
			'@convex-dev/auth'
		]);
		expect(importedPackages("import x from 'convex/browser'; import('#lib/x.ts');")).toEqual([
			'convex'
		]);
	});
});

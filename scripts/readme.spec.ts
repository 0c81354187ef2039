import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const readme = read('README.md');
const docs = readdirSync(new URL('docs/', root))
	.filter((f) => f.endsWith('.md'))
	.map((f) => `docs/${f}`);
const pages = ['README.md', ...docs].map((path) => ({ path, text: read(path) }));

const snippets = pages.flatMap(({ path, text }) =>
	[...text.matchAll(/```svelte\n([\s\S]*?)```/g)].map((m) => [path, m[1]] as const)
);

describe('the Svelte snippets of the README and docs/', () => {
	it('are there to check', () => {
		expect(snippets.length).toBeGreaterThanOrEqual(2);
	});

	it.each(snippets)('a snippet of %s compiles without a warning', (_, source) => {
		const { warnings } = compile(source, { filename: 'Snippet.svelte', runes: true });
		expect(warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
	});
});

describe('the README and docs/', () => {
	it('keep the README under 15 KB', () => {
		expect(Buffer.byteLength(readme)).toBeLessThan(15_000);
	});

	it('link only to files that exist', () => {
		const broken = pages.flatMap(({ path, text }) =>
			[...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
				.map((m) => m[1])
				.filter((target) => !/^[a-z]+:/.test(target))
				.filter((target) => !existsSync(new URL(target, new URL(path, root))))
				.map((target) => `${path} → ${target}`)
		);
		expect(broken).toEqual([]);
	});
});

/** Every variable the code reads from its environment, by where it is read. */
function variablesRead(): string[] {
	const app = [...read('src/env.ts').matchAll(/^\t([A-Z][A-Z0-9_]+): \{/gm)].map((m) => m[1]);
	const server = [...read('server.ts').matchAll(/seconds\('([A-Z_]+)'/g)].map((m) => m[1]);
	const limits = [...read('convex/limits.ts').matchAll(/^\t(AUTH_[A-Z_]+): \d+/gm)].map(
		(m) => m[1]
	);
	const deployment = readdirSync(new URL('convex/', root))
		.filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.setup.ts'))
		.flatMap((f) => [...read(`convex/${f}`).matchAll(/process\.env\.([A-Z_]+)/g)])
		.map((m) => m[1]);
	// Convex Auth's own, read by the library on the deployment.
	const convexAuth = ['JWT_PRIVATE_KEY', 'JWKS', 'SITE_URL'];
	return [...new Set([...app, ...server, ...limits, ...deployment, ...convexAuth])];
}

describe("the README's environment tables", () => {
	const section = readme.split('## Environment variables')[1]?.split('\n## ')[0] ?? '';
	const listed = section
		.split('\n')
		.filter((line) => /^\| `/.test(line))
		.flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]));

	it('list every variable the code reads', () => {
		expect(variablesRead().filter((name) => !listed.includes(name))).toEqual([]);
	});

	it('list no variable the code does not read', () => {
		const read = variablesRead();
		expect(listed.filter((name) => !read.includes(name))).toEqual([]);
	});
});

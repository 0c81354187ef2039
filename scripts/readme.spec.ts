import { readFileSync } from 'node:fs';
import { compile } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const snippets = [...readme.matchAll(/```svelte\n([\s\S]*?)```/g)].map((m) => m[1]);

describe("the README's Svelte snippets", () => {
	it('are there to check', () => {
		expect(snippets.length).toBeGreaterThanOrEqual(2);
	});

	it.each(snippets.map((s, i) => [i, s]))('snippet %i compiles without a warning', (_, source) => {
		const { warnings } = compile(source, { filename: 'Snippet.svelte', runes: true });
		expect(warnings.map((w) => `${w.code}: ${w.message}`)).toEqual([]);
	});
});

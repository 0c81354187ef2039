import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_NAME, START, title } from './app.ts';

const src = fileURLToPath(new URL('..', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const files = (dir: string): string[] =>
	readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]
	);

const sources = () =>
	files(src).filter((f) => /\.(ts|svelte|html)$/.test(f) && !f.endsWith('.spec.ts'));

describe("the app's name", () => {
	it('is written in one place, convex/app.ts (the pages and the emails read it there)', () => {
		const spelled = new RegExp(APP_NAME.replace(' ', '(\\s|&nbsp;)+'), 'i');
		const holders = ['src', 'convex']
			.flatMap((dir) => files(join(root, dir)))
			.filter((f) => /\.(ts|svelte|html)$/.test(f) && !/\.spec\.ts$|_generated/.test(f))
			.filter((f) => spelled.test(readFileSync(f, 'utf8')))
			.map((f) => relative(root, f));
		expect(holders).toEqual(['convex/app.ts']);
	});

	it('ends every page title', () => {
		expect(title('Notes')).toBe(`Notes · ${APP_NAME}`);
		expect(title()).toBe(APP_NAME);
	});
});

describe('the page signing in lands on', () => {
	it('is spelled nowhere but in START, src/lib/app.ts', () => {
		// As a path ('/notes') or as resolve() takes one ('notes'); links by route id are navigation.
		const p = START.path;
		const spelled = new RegExp(`['"\`]/${p}['"\`]|resolve\\(['"\`]${p}['"\`]`);
		const holders = sources()
			.filter((f) => spelled.test(readFileSync(f, 'utf8')))
			.map((f) => relative(src, f));
		expect(holders).toEqual([]);
	});
});

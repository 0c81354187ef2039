import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { newServerSecret } from '../convex/gate.ts';
import { runCli, tsx } from './cli-process.ts';
import { signUp } from './test-helpers.ts';

// `npm run dev:offline`'s backend, on a copy of this project's convex/: what a developer sees
// while editing functions with a signed-in browser open.
const root = fileURLToPath(new URL('..', import.meta.url));
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const project = mkdtempSync(join(root, 'node_modules/.cache/watch-'));
const convexDir = join(project, 'convex');
const dataDir = join(project, 'data');
const greeting = makeFunctionReference<'query', Record<string, never>, string>('projects:greeting');

let run: ReturnType<typeof runCli>;
let url: string;
let session: Awaited<ReturnType<typeof signUp>>;

let ports: string[] = [];

/** Starts dev:offline's backend, on the same ports every time (the site's is the JWT issuer). */
async function start(...extra: string[]) {
	run = runCli(
		[process.execPath, tsx],
		['--watch', '--data', dataDir, '--convex-dir', convexDir, ...ports, ...extra]
	);
	const ready = await run.ready;
	url = ready.url;
	ports = ['--port', new URL(url).port, '--site-port', new URL(ready.siteUrl).port];
}

async function stop() {
	run.child.kill('SIGTERM');
	expect(await run.exited).toBe(0);
}

/** Saves a file in convex/ and waits for the watcher's verdict on it. */
async function save(file: string, text: string, verdict: RegExp) {
	const from = run.output().length;
	writeFileSync(join(convexDir, file), text);
	return (await run.printed(verdict, from))[0];
}

const projects = (word: string) => `import { query } from './_generated/server';
import { requireUser } from './users';
import { WORD } from './words';
export const greeting = query({
	args: {},
	handler: async (ctx) => \`${word} \${WORD} \${(await requireUser(ctx)).email}\`
});
`;

beforeAll(async () => {
	// The app's server secret, shared with the backend process (as dev:offline hands it to vite), so
	// this process can sign up as the app's server does.
	vi.stubEnv('AUTH_SERVER_SECRET', newServerSecret());
	cpSync(join(root, 'convex'), convexDir, { recursive: true });
	cpSync(join(root, 'package.json'), join(project, 'package.json'));
	writeFileSync(join(convexDir, 'words.ts'), "export const WORD = 'from';\n");
	await start();
	session = await signUp(url);
	await session.client.mutation(api.notes.create, { text: 'written before any change' });
}, 60_000);
afterAll(async () => {
	vi.unstubAllEnvs();
	// SIGTERM, which tsx passes on: SIGKILL would stop tsx alone and orphan the backend it runs.
	run?.child.kill('SIGTERM');
	await run?.exited;
	rmSync(project, { recursive: true, force: true });
});

describe('dev:offline watching convex/', () => {
	test('serves an added function at once, with the generated api and the session kept', async () => {
		await save('projects.ts', projects('hello'), /reloaded convex\/ \(.*projects\.ts/);
		expect(await session.client.query(greeting, {})).toBe(`hello from ${session.email}`);
		const generated = readFileSync(join(convexDir, '_generated/api.d.ts'), 'utf8');
		expect(generated).toContain('projects: typeof projects;');
		const notes = await session.client.query(api.notes.list, {});
		expect(notes.map((n) => n.text)).toEqual(['written before any change']);
	});

	test('serves a changed function, and a change to a module it imports', async () => {
		await save('projects.ts', projects('hi'), /reloaded convex\//);
		expect(await session.client.query(greeting, {})).toBe(`hi from ${session.email}`);
		await save('words.ts', "export const WORD = 'to';\n", /reloaded convex\//);
		expect(await session.client.query(greeting, {})).toBe(`hi to ${session.email}`);
	});

	test('reports a function that fails to load, with its file and line, and keeps serving the previous one', async () => {
		const report = await save(
			'projects.ts',
			'export const greeting = query({\n',
			/\S+ failed to load[\s\S]*?keeps serving/
		);
		expect(report).toMatch(/^convex\/projects\.ts failed to load: [\s\S]*projects\.ts:2:/);
		expect(await session.client.query(greeting, {})).toBe(`hi to ${session.email}`);
		await save('projects.ts', projects('hi'), /reloaded convex\//);
	});

	test('refuses a schema the stored documents break, and says which', async () => {
		const schema = readFileSync(join(convexDir, 'schema.ts'), 'utf8');
		const stricter = schema.replace(
			'text: v.string()',
			'text: v.string(),\n\t\tpinned: v.boolean()'
		);
		expect(stricter).not.toBe(schema);
		const report = await save('schema.ts', stricter, /schema change refused[\s\S]*?keeps serving/);
		expect(report).toMatch(/notes \d+notes: .*pinned/);
		// Still the old schema: a note without the new field is accepted.
		await session.client.mutation(api.notes.create, { text: 'after the refused schema' });
		await save('schema.ts', schema, /reloaded convex\//);
	});

	test('a restart keeps the data and the session; a fresh start discards both', async () => {
		await stop();
		await start();
		const client = new ConvexHttpClient(url);
		client.setAuth(session.token);
		expect(await client.query(api.users.me, {})).toMatchObject({ email: session.email });
		expect((await client.query(api.notes.list, {})).length).toBe(2);
		await stop();
		await start('--fresh');
		const fresh = new ConvexHttpClient(url);
		fresh.setAuth(session.token);
		await expect(fresh.query(api.users.me, {})).rejects.toThrow();
	}, 60_000);
});

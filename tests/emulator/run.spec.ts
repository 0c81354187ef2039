import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConvexHttpClient } from 'convex/browser';
import { describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

/** Starts run.ts as its own process; `ready` resolves with the URLs it prints. */
function runCli(runner: string[], args: string[]) {
	const child = spawn(runner[0], [...runner.slice(1), 'tests/emulator/run.ts', ...args], {
		cwd: root,
		env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_SITE_PORT: '0' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const ready = new Promise<Record<string, string>>((resolve, reject) => {
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /url (\S+) site (\S+)(?: control (\S+))?/.exec(output);
			if (match) resolve({ url: match[1], siteUrl: match[2], control: match[3] ?? '' });
		});
		child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		void exited.then(() => reject(new Error(`run.ts exited early:\n${output}`)));
	});
	return { child, ready, exited, output: () => output };
}

describe('the run.ts command line', () => {
	test('under tsx it runs the command with CONVEX_URL and CONVEX_SITE_URL and exits with its code', async () => {
		const script = `
			const r = await fetch(process.env.CONVEX_URL + '/api/query', { method: 'POST', body: JSON.stringify({ path: 'users:me', args: [{}] }) });
			console.log('child saw', r.status, await r.text(), process.env.CONVEX_SITE_URL, typeof process.env.JWT_PRIVATE_KEY);
			process.exit(7);`;
		const run = runCli(
			[process.execPath, tsx],
			['--', process.execPath, '--input-type=module', '-e', script]
		);
		const { siteUrl } = await run.ready;
		expect(await run.exited).toBe(7);
		expect(run.output()).toContain(
			`child saw 200 {"status":"success","value":null,"logLines":[]} ${siteUrl} undefined`
		);
	});

	test('under plain node, the control port pauses, resumes and reports health', async () => {
		const run = runCli([process.execPath], ['--control-port', '0']);
		try {
			const { url, control } = await run.ready;
			const health = async () =>
				(await (await fetch(`${control}/health`)).json()) as { status: string };
			expect(await health()).toMatchObject({ status: 'running' });
			expect((await fetch(`${control}/pause`, { method: 'POST' })).status).toBe(204);
			expect(await health()).toMatchObject({ status: 'paused' });
			await expect(fetch(`${url}/api/query`, { method: 'POST' })).rejects.toThrow();
			expect((await fetch(`${control}/resume`, { method: 'POST' })).status).toBe(204);
			expect(await new ConvexHttpClient(url).query(api.users.me, {})).toBeNull();
		} finally {
			run.child.kill('SIGTERM');
		}
		expect(await run.exited).toBe(0);
	});
});

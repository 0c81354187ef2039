import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const tsx = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

/**
 * Starts run.ts as its own process on free ports; `ready` resolves with the URLs it prints, and
 * `printed(pattern)` once its output (from `from` on) matches.
 */
export function runCli(runner: string[], args: string[]) {
	const child = spawn(runner[0], [...runner.slice(1), 'emulator/run.ts', ...args], {
		cwd: root,
		env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_SITE_PORT: '0' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	const waiters = new Set<() => void>();
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const append = (chunk: Buffer) => {
		output += chunk.toString();
		for (const check of waiters) check();
	};
	child.stdout.on('data', append);
	child.stderr.on('data', append);
	const printed = (pattern: RegExp, from = 0) =>
		new Promise<RegExpExecArray>((resolve, reject) => {
			const check = () => {
				const match = pattern.exec(output.slice(from));
				if (match === null) return;
				waiters.delete(check);
				resolve(match);
			};
			waiters.add(check);
			check();
			void exited.then(() =>
				reject(new Error(`run.ts exited before printing ${pattern}:\n${output}`))
			);
		});
	const ready = printed(/url (\S+) site (\S+)(?: control (\S+))?/).then((match) => ({
		url: match[1],
		siteUrl: match[2],
		control: match[3] ?? ''
	}));
	return { child, ready, exited, printed, output: () => output };
}

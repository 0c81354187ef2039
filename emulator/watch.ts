import { watch } from 'node:fs';
import { dirname } from 'node:path';
import { codegen } from '../scripts/codegen.ts';
import { SchemaViolation } from './backend.ts';
import type { Emulator } from './emulator.ts';
import { ModuleLoadError } from './modules.ts';

type Log = Pick<Console, 'log' | 'error'>;

/**
 * What `convex dev` does on a save, offline: regenerate convex/_generated, then push the new code
 * into the running backend, data and sessions kept. A change that cannot be served (a module that
 * fails to load, a schema the stored documents break) is reported, and the previous code keeps
 * serving until the next save fixes it. Changes during a reload are picked up right after it.
 */
export function watchConvex(emulator: Emulator, convexDir: string, log: Log = console): () => void {
	let timer: NodeJS.Timeout | null = null;
	let running: Promise<void> | null = null;
	let again = false;
	const changed = new Set<string>();

	const apply = async () => {
		const files = [...changed].sort().join(', ');
		changed.clear();
		try {
			await codegen(dirname(convexDir));
		} catch (error) {
			const failure = error as { stderr?: string; message?: string };
			log.error(`[emulator] codegen failed: ${failure.stderr || failure.message}`);
		}
		try {
			await emulator.reload();
			log.log(`[emulator] reloaded convex/ (${files})`);
		} catch (error) {
			log.error(`[emulator] ${describe(error)}\n[emulator] the previous version keeps serving`);
		}
	};
	const run = () => {
		timer = null;
		if (running) return void (again = true);
		running = apply().finally(() => {
			running = null;
			if (again) {
				again = false;
				run();
			}
		});
	};
	const watcher = watch(convexDir, { recursive: true }, (_event, file) => {
		if (file === null) return;
		// Its own output, and editors' temporary files.
		if (/(^|[/\\])(_generated[/\\]|[.#])|~$/.test(file)) return;
		changed.add(file);
		if (timer) clearTimeout(timer);
		timer = setTimeout(run, 100);
	});
	return () => {
		if (timer) clearTimeout(timer);
		watcher.close();
	};
}

function describe(error: unknown): string {
	if (error instanceof ModuleLoadError) {
		const cause = error.error instanceof Error ? error.error : new Error(String(error.error));
		// The message names the line for a syntax error; for a throw, the frames in convex/ do.
		const frames = (cause.stack ?? '').split('\n').filter((l) => /^\s+at .*\/convex\//.test(l));
		return [`convex/${error.file} failed to load: ${cause.message}`, ...frames].join('\n');
	}
	if (error instanceof SchemaViolation) return `schema change refused. ${error.message}`;
	return `reload failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`;
}

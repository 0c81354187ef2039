import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** `tsx bench/preflight.ts` with only `PATH` in its environment. */
const preflight = (PATH: string) =>
	spawnSync(process.execPath, ['--import', 'tsx', 'bench/preflight.ts'], {
		env: { PATH },
		encoding: 'utf8'
	});

describe('bench/preflight.ts', () => {
	it('stops with one line naming the install commands when wrk is not on PATH', () => {
		const result = preflight('');
		expect(result.status).toBe(1);
		expect(result.stderr.trimEnd().split('\n')).toEqual([
			expect.stringMatching(/needs wrk.*`sudo apt-get install wrk` or `brew install wrk`/)
		]);
	});

	it('passes when a wrk is on PATH, even one that exits 1 on --version as wrk does', () => {
		const dir = mkdtempSync(join(tmpdir(), 'wrk-'));
		try {
			writeFileSync(join(dir, 'wrk'), '#!/bin/sh\necho "wrk 4.2.0"\nexit 1\n');
			chmodSync(join(dir, 'wrk'), 0o755);
			expect(preflight(dir)).toMatchObject({ status: 0, stderr: '' });
		} finally {
			rmSync(dir, { recursive: true });
		}
	});
});

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deployEnv } from './deploy-env.ts';
import { CLUSTER, instanceEnv } from './stack.ts';

describe('deploy/instance.env', () => {
	it('is what every cluster instance starts with', () => {
		const shipped = deployEnv();
		expect(Object.keys(shipped)).toEqual([
			'MALLOC_ARENA_MAX',
			'MALLOC_TRIM_THRESHOLD_',
			'MALLOC_MMAP_THRESHOLD_',
			'NODE_OPTIONS'
		]);
		for (const port of CLUSTER.instances) expect(instanceEnv(port)).toMatchObject(shipped);
	});

	it('holds settings Node takes from the environment, and they take effect', () => {
		const { NODE_OPTIONS } = deployEnv();
		// An option Node refuses in NODE_OPTIONS would stop every instance from starting.
		const limitMb = execFileSync(
			process.execPath,
			['-p', 'require("node:v8").getHeapStatistics().heap_size_limit / 2 ** 20'],
			{ env: { ...process.env, NODE_OPTIONS }, encoding: 'utf8' }
		);
		const flag = (name: string) => Number(new RegExp(`--${name}=(\\d+)`).exec(NODE_OPTIONS)![1]);
		// The old generation's cap plus the young generation (three semi-spaces).
		expect(Number(limitMb)).toBe(flag('max-old-space-size') + 3 * flag('max-semi-space-size'));
	});

	it('holds settings glibc takes from the environment, and they take effect', () => {
		const { MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_ } = deployEnv();
		// Node's own dynamic loader lists the allocator's settings as glibc read them (a misspelt
		// variable leaves its setting at 0: unset, glibc's dynamic default).
		const { sharedObjects } = process.report.getReport() as { sharedObjects: string[] };
		const loader = sharedObjects.find((path) => /\/ld-linux[^/]*\.so/.test(path));
		expect(loader).toBeDefined();
		const listed = execFileSync(loader!, ['--list-tunables'], {
			env: { MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_ },
			encoding: 'utf8'
		});
		const tunable = (name: string) =>
			Number(new RegExp(`^glibc\\.malloc\\.${name}: (0x[0-9a-f]+)`, 'm').exec(listed)?.[1]);
		expect(tunable('arena_max')).toBe(Number(MALLOC_ARENA_MAX));
		expect(tunable('trim_threshold')).toBe(Number(MALLOC_TRIM_THRESHOLD_));
		expect(tunable('mmap_threshold')).toBe(Number(MALLOC_MMAP_THRESHOLD_));
	});
});

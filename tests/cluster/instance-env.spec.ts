import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { deployEnv } from './deploy-env.ts';
import { CLUSTER, instanceEnv } from './stack.ts';

describe('deploy/instance.env', () => {
	it('is what every cluster instance starts with', () => {
		const shipped = deployEnv();
		expect(Object.keys(shipped)).toEqual(['MALLOC_ARENA_MAX', 'NODE_OPTIONS']);
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
});

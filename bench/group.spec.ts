import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { groupAlive, spawnGroup } from './group.ts';

/** The pids of process group `pgid`. */
const members = (pgid: number) =>
	execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' })
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s+/).map(Number))
		.filter(([, group]) => group === pgid);

describe('spawnGroup', () => {
	it('stops only once every process of the group has exited, one ignoring SIGTERM included', async () => {
		// The leader exits on SIGTERM at once; its child, like a server draining its streams, does not.
		const group = spawnGroup(
			'sh',
			['-c', `sh -c 'trap "" TERM; echo up; while :; do sleep 0.05; done' & wait`],
			{ stdio: ['ignore', 'pipe', 'inherit'] },
			500
		);
		await new Promise((resolve) => group.child.stdout!.once('data', resolve));
		expect(members(group.pid).length).toBeGreaterThanOrEqual(2);
		await group.stop();
		expect(groupAlive(group.pid)).toBe(false);
		expect(members(group.pid)).toEqual([]);
	});
});

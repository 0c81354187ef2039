// Benchmark servers run as process groups (npx → tsx → emulator → node server.ts). Stopping one means
// every process of the group has exited: a server still draining its streams, or kept alive by its
// upstream sockets, would otherwise hold its port into the next run.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export type Group = { child: ChildProcess; pid: number; stop: () => Promise<void> };

/** Whether any process of group `pgid` is still running. */
export function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(
	command: string,
	args: string[],
	options: SpawnOptions,
	graceMs = 10_000
): Group {
	const child = spawn(command, args, { ...options, detached: true });
	const pid = child.pid!;
	const signal = (s: NodeJS.Signals) => groupAlive(pid) && process.kill(-pid, s);
	// If the bench dies first, the group must not outlive it holding its ports.
	const onExit = () => signal('SIGKILL');
	process.once('exit', onExit);
	return {
		child,
		pid,
		stop: async () => {
			process.off('exit', onExit);
			signal('SIGTERM');
			const deadline = Date.now() + graceMs;
			while (groupAlive(pid)) {
				if (Date.now() > deadline) signal('SIGKILL');
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	};
}

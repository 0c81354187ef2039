// A stack runs as one process group (npx → tsx → emulator → node server.ts, or a shell with two
// servers): stopping it must end every process of it, or one would hold its port into the next file.
import { spawn } from 'node:child_process';

export type ProcessGroup = {
	/** Everything the group printed so far (stdout and stderr). */
	log: () => string;
	/** Whether the group's leader has exited. */
	exited: () => boolean;
	/** Ends the whole group at once. */
	kill: () => void;
	stop: () => Promise<void>;
};

/** Starts `command` as the leader of a new process group, its output kept for `log()`. */
export function startGroup(command: string[], env: NodeJS.ProcessEnv): ProcessGroup {
	const child = spawn(command[0], command.slice(1), {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	const signal = (s: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, s);
		} catch {
			// the group is gone already
		}
	};
	// If the test process dies first, the group must not outlive it holding the ports.
	const onExit = () => signal('SIGKILL');
	process.once('exit', onExit);
	const chunks: Buffer[] = [];
	child.stdout.on('data', (c: Buffer) => chunks.push(c));
	child.stderr.on('data', (c: Buffer) => chunks.push(c));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	return {
		log: () => Buffer.concat(chunks).toString('utf8'),
		exited: () => child.exitCode !== null,
		kill: () => signal('SIGKILL'),
		stop: async () => {
			process.off('exit', onExit);
			signal('SIGTERM');
			await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
			// Whatever of the group did not go on SIGTERM (npx may exit before its children do).
			signal('SIGKILL');
		}
	};
}

// Finds the server process behind a port and reads its resident memory, for memory-bound checks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function pidListeningOn(port: number): number {
	const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
	const match = /pid=(\d+)/.exec(out);
	if (!match) throw new Error(`no process found listening on port ${port}: ${out}`);
	return Number(match[1]);
}

export function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = /VmRSS:\s+(\d+) kB/.exec(status);
	if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(kb[1]) * 1024;
}

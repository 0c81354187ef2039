import { readFileSync } from 'node:fs';

/**
 * deploy/instance.env, the memory settings a production instance runs with, as systemd's
 * EnvironmentFile and a shell's `set -a; . file` read it: `KEY=value` lines, `#` comments.
 * CLUSTER_INSTANCE_ENV names other files instead, one per instance in turn (comma-separated), to
 * compare settings side by side under the same load.
 */
export function deployEnv(file = 'deploy/instance.env'): Record<string, string> {
	const lines = readFileSync(file, 'utf8').split('\n');
	const pairs = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
	// A value with spaces is double-quoted, as a shell sourcing the file needs it.
	const value = (v: string) => (/^".*"$/.test(v) ? v.slice(1, -1) : v);
	return Object.fromEntries(
		pairs.map((l) => [l.slice(0, l.indexOf('=')), value(l.slice(l.indexOf('=') + 1))])
	);
}

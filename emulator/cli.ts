// Usage: tsx emulator/run.ts [--port 3210] [--site-port 3211] [--control-port N] [--dev-errors]
//        [--watch] [--data .convex-offline [--fresh]] [--convex-dir convex] [--profile-port N]
//        [--oidc-port N]
//        [-- command args...]
import { resolve } from 'node:path';

export type Cli = {
	port: number;
	sitePort: number;
	controlPort: number | null;
	/** Where the sample second backend (examples/profile-api) listens; null: not started. */
	profilePort: number | null;
	/** Where the offline OpenID provider listens; null: not started (no `oidc` sign-in). */
	oidcPort: number | null;
	devErrors: boolean;
	/** Reload (and regenerate convex/_generated) whenever convex/ changes. */
	watch: boolean;
	/** Where keys and data persist across runs; null keeps everything in memory. */
	dataDir: string | null;
	/** Discard what `dataDir` holds first. */
	fresh: boolean;
	convexDir: string | null;
	command: string[];
};

const WITH_VALUE = [
	'--port',
	'--site-port',
	'--control-port',
	'--profile-port',
	'--oidc-port',
	'--data',
	'--convex-dir'
];

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Cli {
	const split = argv.indexOf('--');
	const flags = split === -1 ? argv : argv.slice(0, split);
	const command = split === -1 ? [] : argv.slice(split + 1);
	const values = new Map<string, string>();
	const switches = new Set<string>();
	for (let i = 0; i < flags.length; i++) {
		const [name, value] = [flags[i], flags[i + 1]];
		if (['--dev-errors', '--watch', '--fresh'].includes(name)) {
			switches.add(name);
		} else if (WITH_VALUE.includes(name) && value !== undefined) {
			values.set(name, value);
			i++;
		} else {
			throw new Error(`Unknown or incomplete option: ${name}`);
		}
	}
	const number = (flag: string, envName: string, fallback: number | null) => {
		const raw = values.get(flag) ?? env[envName];
		if (raw === undefined || raw === '') return fallback;
		const port = Number(raw);
		if (!Number.isInteger(port) || port < 0 || port > 65535)
			throw new Error(`Bad port for ${flag}: ${raw}`);
		return port;
	};
	const path = (flag: string) => (values.has(flag) ? resolve(values.get(flag)!) : null);
	const dataDir = path('--data');
	if (switches.has('--fresh') && dataDir === null) throw new Error('--fresh needs --data <dir>');
	return {
		port: number('--port', 'EMULATOR_PORT', 3210) as number,
		sitePort: number('--site-port', 'EMULATOR_SITE_PORT', 3211) as number,
		controlPort: number('--control-port', 'EMULATOR_CONTROL_PORT', null),
		profilePort: number('--profile-port', 'PROFILE_API_PORT', null),
		oidcPort: number('--oidc-port', 'OIDC_PORT', null),
		devErrors: switches.has('--dev-errors') || env.EMULATOR_DEV_ERRORS === '1',
		watch: switches.has('--watch'),
		dataDir,
		fresh: switches.has('--fresh') || (dataDir !== null && env.EMULATOR_FRESH === '1'),
		convexDir: path('--convex-dir'),
		command
	};
}

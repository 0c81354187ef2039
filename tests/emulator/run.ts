// Usage: tsx tests/emulator/run.ts [--port 3210] [--site-port 3211] [--control-port N] [--dev-errors]
//        [--profile-port N] [-- command args...]
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlPort, startControl } from './control.ts';
import { startEmulator } from './emulator.ts';
import { resolveExtensionlessImports } from './node-hooks.ts';
import { startSampleBackend } from './sample-backend.ts';

type Cli = {
	port: number;
	sitePort: number;
	controlPort: number | null;
	/** Where the sample second backend (examples/profile-api) listens; null: not started. */
	profilePort: number | null;
	devErrors: boolean;
	command: string[];
};

function parseCli(argv: string[]): Cli {
	const split = argv.indexOf('--');
	const flags = split === -1 ? argv : argv.slice(0, split);
	const command = split === -1 ? [] : argv.slice(split + 1);
	const values = new Map<string, string>();
	let devErrors = process.env.EMULATOR_DEV_ERRORS === '1';
	for (let i = 0; i < flags.length; i++) {
		const [name, value] = [flags[i], flags[i + 1]];
		if (name === '--dev-errors') {
			devErrors = true;
		} else if (
			['--port', '--site-port', '--control-port', '--profile-port'].includes(name) &&
			value !== undefined
		) {
			values.set(name, value);
			i++;
		} else {
			throw new Error(`Unknown or incomplete option: ${name}`);
		}
	}
	const number = (flag: string, envName: string, fallback: number | null) => {
		const raw = values.get(flag) ?? process.env[envName];
		if (raw === undefined || raw === '') return fallback;
		const port = Number(raw);
		if (!Number.isInteger(port) || port < 0 || port > 65535)
			throw new Error(`Bad port for ${flag}: ${raw}`);
		return port;
	};
	return {
		port: number('--port', 'EMULATOR_PORT', 3210) as number,
		sitePort: number('--site-port', 'EMULATOR_SITE_PORT', 3211) as number,
		controlPort: number('--control-port', 'EMULATOR_CONTROL_PORT', null),
		profilePort: number('--profile-port', 'PROFILE_API_PORT', null),
		devErrors,
		command
	};
}

async function main() {
	const cli = parseCli(process.argv.slice(2));
	// The child gets the environment we were started with, not the deployment's secrets.
	const childEnv = { ...process.env };
	resolveExtensionlessImports();
	const emulator = await startEmulator({
		port: cli.port,
		sitePort: cli.sitePort,
		devErrors: cli.devErrors
	});
	const control = cli.controlPort === null ? null : await startControl(emulator, cli.controlPort);
	const sample =
		cli.profilePort === null
			? null
			: await startSampleBackend(cli.profilePort, emulator.siteUrl, childEnv);
	if (sample) console.log(`[emulator] profile API ${sample.api.url} (accepts ${sample.mode})`);
	const controlNote = control === null ? '' : ` control http://127.0.0.1:${controlPort(control)}`;
	const errorsNote = cli.devErrors ? ' (dev error messages)' : '';
	console.log(
		`[emulator] Convex emulator ready: url ${emulator.url} site ${emulator.siteUrl}${controlNote}${errorsNote}`
	);

	const shutdown = async (code: number) => {
		control?.close();
		await sample?.api.close();
		await emulator.close();
		process.exit(code);
	};

	if (cli.command.length === 0) {
		for (const signal of ['SIGINT', 'SIGTERM'] as const)
			process.once(signal, () => void shutdown(0));
		return;
	}
	const bin = fileURLToPath(new URL('../../node_modules/.bin', import.meta.url));
	const child = spawn(cli.command[0], cli.command.slice(1), {
		stdio: 'inherit',
		env: {
			...childEnv,
			PATH: [bin, childEnv.PATH].filter(Boolean).join(delimiter),
			CONVEX_URL: emulator.url,
			CONVEX_SITE_URL: emulator.siteUrl,
			// The one deployment secret the app shares: it is what lets the app's server sign users in.
			AUTH_SERVER_SECRET: emulator.env.AUTH_SERVER_SECRET,
			...sample?.env
		}
	});
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
	child.on('error', (error) => {
		console.error(`[emulator] could not start ${cli.command[0]}:`, error.message);
		void shutdown(127);
	});
	child.on('exit', (code, signal) => {
		void shutdown(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
	});
}

main().catch((error: unknown) => {
	console.error('[emulator]', error instanceof Error ? error.message : error);
	process.exit(1);
});

// Usage: see cli.ts. Starts the emulator, then the command (vite dev, vite preview, node server.ts)
// with CONVEX_URL and CONVEX_SITE_URL pointing at it.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codegen } from '../scripts/codegen.ts';
import { SchemaViolation } from './backend.ts';
import { parseCli } from './cli.ts';
import { controlPort, startControl } from './control.ts';
import { startEmulator } from './emulator.ts';
import { resolveExtensionlessImports } from './node-hooks.ts';
import { startOidcProvider } from './oidc/provider.ts';
import { startSampleBackend } from './sample-backend.ts';
import { watchConvex } from './watch.ts';

const DEFAULT_CONVEX_DIR = fileURLToPath(new URL('../convex', import.meta.url));

async function main() {
	const cli = parseCli(process.argv.slice(2));
	// The child gets the environment we were started with, not the deployment's secrets.
	const childEnv = { ...process.env };
	resolveExtensionlessImports();
	const convexDir = cli.convexDir ?? DEFAULT_CONVEX_DIR;
	if (cli.fresh && cli.dataDir !== null) rmSync(cli.dataDir, { recursive: true, force: true });
	// As `convex dev` does first: the generated api matches convex/ before anything imports it.
	if (cli.watch) await codegen(dirname(convexDir));
	// The provider listens first: its issuer is deployment env, read as the functions load.
	const oidc = cli.oidcPort === null ? null : await startOidcProvider(cli.oidcPort);
	const emulator = await startEmulator({
		port: cli.port,
		sitePort: cli.sitePort,
		devErrors: cli.devErrors,
		convexDir,
		dataDir: cli.dataDir ?? undefined,
		env: oidc?.env
	});
	await oidc?.allowRedirect(`${emulator.siteUrl}/api/auth/callback/oidc`);
	if (oidc) console.log(`[emulator] OpenID provider ${oidc.issuer} (test users: docs/offline.md)`);
	const stopWatching = cli.watch ? watchConvex(emulator, convexDir) : () => {};
	const sample =
		cli.profilePort === null
			? null
			: await startSampleBackend(cli.profilePort, emulator.siteUrl, childEnv);
	if (sample) console.log(`[emulator] profile API ${sample.api.url} (accepts ${sample.mode})`);
	const control =
		cli.controlPort === null ? null : await startControl(emulator, cli.controlPort, oidc);
	const controlNote = control === null ? '' : ` control http://127.0.0.1:${controlPort(control)}`;
	const errorsNote = cli.devErrors ? ' (dev error messages)' : '';
	const dataNote = cli.dataDir === null ? '' : ` data ${cli.dataDir}`;
	const watchNote = cli.watch ? ' (watching convex/)' : '';
	console.log(
		`[emulator] Convex emulator ready: url ${emulator.url} site ${emulator.siteUrl}${controlNote}${dataNote}${errorsNote}${watchNote}`
	);

	const shutdown = async (code: number) => {
		stopWatching();
		control?.close();
		await sample?.api.close();
		await oidc?.close();
		await emulator.close();
		process.exit(code);
	};

	if (cli.command.length === 0) {
		for (const signal of ['SIGINT', 'SIGTERM'] as const)
			process.once(signal, () => void shutdown(0));
		return;
	}
	const bin = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
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
	if (error instanceof SchemaViolation) {
		console.error('[emulator] Change the schema to accept them, or start fresh: EMULATOR_FRESH=1');
	}
	process.exit(1);
});

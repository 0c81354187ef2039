// The production server (`node server.ts`, what `npm start` runs) against the offline Convex emulator,
// as a child process group, the way bench/stack.ts starts it — configured as it runs behind a
// TLS-terminating proxy. Or `vite preview` of the same build, for checks that both must pass.
import { answering, answers } from '../support/answering.ts';
import { port as portOf } from '../support/ports.ts';
import { control, type Control } from './control.ts';
import { APP } from './http.ts';
import { startGroup } from './process-group.ts';

export type Stack = Control & {
	port: number;
	/** The emulator's deployment URL (HTTP API) and site URL (HTTP actions, JWKS). */
	convexUrl: string;
	siteUrl: string;
	/** The sample second backend (examples/profile-api), on the emulator's port + 2 when asked for. */
	profileUrl: string | null;
	/** Everything the emulator and the app printed so far (stdout and stderr). */
	log: () => string;
	/** Whether the server still answers GET /. */
	alive: () => Promise<boolean>;
	stop: () => Promise<void>;
};

/**
 * Stack `n` (0–19) listens on SECURITY_APP_PORT+n (4600+n); its emulator on SECURITY_BACKEND_PORT
 * +10n (3600+10n), +1 (site), +9 (control). With `opts.shared`, only an app process starts, against
 * that stack's emulator: a second instance. (Give both the same AUTH_SERVER_SECRET in `env`: the
 * emulator otherwise makes one only its own app knows.)
 */
export async function startStack(
	n: number,
	env: Record<string, string> = {},
	server: 'production' | 'preview' = 'production',
	opts: {
		profile?: boolean;
		/** Also the offline OpenID provider, on the emulator's port + 3, returning to APP. */
		oidc?: boolean;
		/** A second production server on this port, same backends, its own extra variables. */
		second?: { port: number; env: Record<string, string> };
		shared?: Stack;
	} = {}
): Promise<Stack> {
	const port = portOf('SECURITY_APP_PORT') + n;
	const shared = opts.shared;
	const api = shared
		? Number(new URL(shared.convexUrl).port)
		: portOf('SECURITY_BACKEND_PORT') + 10 * n;
	const ports = ['--port', `${api}`, '--site-port', `${api + 1}`, '--control-port', `${api + 9}`];
	if (opts.profile) ports.push('--profile-port', `${api + 2}`);
	if (opts.oidc) ports.push('--oidc-port', `${api + 3}`);
	const serve =
		server === 'production'
			? ['node', 'server.ts']
			: ['vite', 'preview', '--strictPort', '--host', '127.0.0.1', '--port', `${port}`];
	if (opts.second) {
		// Both in the runner's process group, so stop() ends both. `env -S` reads the second's extra
		// variables from one variable, keeping JSON values out of the shell's quoting.
		serve.splice(
			0,
			serve.length,
			'bash',
			'-c',
			'node server.ts & env -S "$SECOND" node server.ts & wait'
		);
	}
	const command = shared ? serve : ['npx', 'tsx', 'emulator/run.ts', ...ports, '--', ...serve];
	const backendEnv = shared
		? { CONVEX_URL: shared.convexUrl, CONVEX_SITE_URL: shared.siteUrl }
		: {};
	const group = startGroup(command, {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		PROTOCOL_HEADER: 'x-forwarded-proto',
		HOST_HEADER: 'x-forwarded-host',
		BODY_SIZE_LIMIT: 'Infinity',
		AUTH_LOG_LEVEL: 'INFO',
		// Convex's per-IP limits (convex/limits.ts): every request here comes from 127.0.0.1.
		AUTH_SIGN_IN_PER_IP_PER_MINUTE: '100000',
		AUTH_SIGN_UP_PER_IP_PER_HOUR: '100000',
		TRUSTED_ORIGINS: 'https://admin.example.com',
		// Where Convex Auth sends a browser back after OAuth: the app's public origin.
		SITE_URL: APP,
		...backendEnv,
		...env,
		...(opts.second ? { SECOND: secondEnv(opts.second) } : {})
	});
	const alive = async () =>
		(await answers(`http://127.0.0.1:${port}/`)) &&
		(!opts.second || (await answers(`http://127.0.0.1:${opts.second.port}/`)));

	try {
		for (const p of opts.second ? [port, opts.second.port] : [port])
			await answering(`http://127.0.0.1:${p}/`, { exited: group.exited });
	} catch {
		group.kill();
		throw new Error(`stack ${n} did not come up:\n${group.log()}`);
	}
	return {
		port,
		convexUrl: `http://127.0.0.1:${api}`,
		siteUrl: `http://127.0.0.1:${api + 1}`,
		profileUrl: opts.profile ? profileUrl(n) : null,
		log: group.log,
		...control(api + 9),
		alive,
		stop: group.stop
	};
}

/** `env -S` arguments: PORT and the variables, each single-quoted (values hold no single quote). */
function secondEnv(second: { port: number; env: Record<string, string> }) {
	const vars = { ...second.env, PORT: String(second.port) };
	for (const v of Object.values(vars)) if (v.includes("'")) throw new Error('no quotes in values');
	return Object.entries(vars)
		.map(([k, v]) => `${k}='${v}'`)
		.join(' ');
}

/** Where stack `n`'s profile API listens, known before it starts (to configure the app with it). */
export const profileUrl = (n: number) =>
	`http://127.0.0.1:${portOf('SECURITY_BACKEND_PORT') + 10 * n + 2}`;

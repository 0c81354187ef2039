// The deployment env the functions see: Convex Auth's keys and URLs, the server secret, and what
// the shell or the caller adds. Functions read process.env, so it is set there while running.
import { newServerSecret } from '../convex/gate.ts';

/** Deployment env a developer may set in the shell. Functions see all of process.env anyway;
 * listing these puts them in `Emulator.env`, for whoever reports or forwards it. */
const PASS_THROUGH = ['AUTH_JWT_DURATION_MS', 'AUTH_LOG_LEVEL', 'AUTH_SERVER_SECRET', 'SITE_URL'];

export function deploymentEnv(
	keys: Record<string, string>,
	url: string,
	siteUrl: string,
	extra: Record<string, string> = {}
): Record<string, string> {
	return {
		// What the app's server must present for password flows (convex/gate.ts); one from the
		// shell wins, so a second app process can share this backend.
		AUTH_SERVER_SECRET: newServerSecret(),
		...passThrough(),
		...keys,
		CONVEX_CLOUD_URL: url,
		CONVEX_SITE_URL: siteUrl,
		SITE_URL: process.env.SITE_URL ?? 'http://localhost:5173',
		...extra
	};
}

/** Sets `env` in process.env; the function returned puts back what was there before. */
export function applyEnv(env: Record<string, string>): () => void {
	const previous = new Map<string, string | undefined>();
	for (const [name, value] of Object.entries(env)) {
		previous.set(name, process.env[name]);
		process.env[name] = value;
	}
	return () => {
		for (const [name, value] of previous) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
}

function passThrough(): Record<string, string> {
	const env: Record<string, string> = {};
	for (const name of PASS_THROUGH) {
		const value = process.env[name];
		if (value !== undefined) env[name] = value;
	}
	return env;
}

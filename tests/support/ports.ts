// Every fixed port the test suites and the bench listen on, each from one variable with a default,
// so they can run beside `npm run dev:offline` (5173, 3210, 3211) or another checkout's suites.
// The offline stack's own ports are EMULATOR_PORT / EMULATOR_SITE_PORT / EMULATOR_CONTROL_PORT
// (emulator/cli.ts), vite's `--port` and PORT; see docs/offline.md.

export const PORT_DEFAULTS = {
	/** Browser suite: app n on +n (n = 0…5). */
	E2E_APP_PORT: 4173,
	/** Browser suite: emulator n on +10n, its site +10n+1, a profile API +10n+2, control +10n+9. */
	E2E_BACKEND_PORT: 3310,
	/** Browser suite: the recording REST upstream of the /api proxy tests. */
	E2E_UPSTREAM_PORT: 4299,
	/** Browser suite: the hostile page's server. */
	E2E_EVIL_PORT: 4398,
	/** Attack suite: app n on +n (n = 0…19); a second instance of stack n on +20+n. */
	SECURITY_APP_PORT: 4600,
	/** Attack suite: emulator n on +10n, +10n+1 (site), +10n+2 (profile API), +10n+9 (control). */
	SECURITY_BACKEND_PORT: 3600,
	/**
	 * Attack suite: the proxy's recording upstream; a decoy one port below, a partner API two below,
	 * a recording backend three below.
	 */
	SECURITY_UPSTREAM_PORT: 4699,
	/** Cluster (tests/cluster/): nginx on +0, the two app instances on +1 and +2. */
	CLUSTER_APP_PORT: 4180,
	/** Cluster: its emulator on +0, site +1, the cluster's control +8, the emulator's control +9. */
	CLUSTER_BACKEND_PORT: 3380,
	/** Bench: app n on +n; the live floors' servers on +10, +11, +12. */
	BENCH_APP_PORT: 4280,
	/** Bench: emulator n on +10n, +10n+1, +10n+9. */
	BENCH_BACKEND_PORT: 3410,
	/** Bench: the proxy benchmarks' no-op upstream. */
	BENCH_UPSTREAM_PORT: 4399
} as const;

export type PortName = keyof typeof PORT_DEFAULTS;

/** The port `name` from the environment, else its default. */
export function port(name: PortName, env: NodeJS.ProcessEnv = process.env): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return PORT_DEFAULTS[name];
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 65535) {
		throw new Error(`${name} must be a port number, not ${raw}`);
	}
	return value;
}

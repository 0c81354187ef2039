// The app + emulator pairs the browser suite runs against. Separate stacks keep tests that bend the
// backend (short-lived JWTs, outages) or the cookie naming away from the rest.

/** Where tests/e2e/proxy.e2e.ts runs its recording upstream. */
export const REST_UPSTREAM_PORT = 4299;

export type Stack = {
	url: string;
	/** Same server, addressed by IP, for readiness checks. */
	ready: string;
	control: string;
	command: string;
	env: Record<string, string>;
};

function stack(n: number, host: string, env: Record<string, string> = {}): Stack {
	const app = 4173 + n;
	const api = 3310 + 10 * n;
	return {
		url: `http://${host}:${app}`,
		ready: `http://127.0.0.1:${app}/`,
		control: `http://127.0.0.1:${api + 9}`,
		command:
			`npx tsx tests/emulator/run.ts --port ${api} --site-port ${api + 1} --control-port ${api + 9}` +
			` -- vite preview --strictPort --host 127.0.0.1 --port ${app}`,
		env: { AUTH_LOG_LEVEL: 'ERROR', ...env }
	};
}

export const stacks = {
	main: stack(0, '127.0.0.1'),
	/** JWTs live 4 s, so a session outlives several of them. */
	shortJwt: stack(1, '127.0.0.1', { AUTH_JWT_DURATION_MS: '4000' }),
	/** The stack whose backend goes down and comes back. */
	outage: stack(3, '127.0.0.1'),
	/** Production cookie naming (__Host-, Secure) on http://localhost, which browsers accept. */
	secureCookies: stack(2, 'localhost', { AUTH_COOKIE_SECURE: 'always' }),
	/** /api/* goes to a recording REST server the tests run themselves (tests/support/upstream.ts). */
	restUpstream: stack(4, '127.0.0.1', {
		API_UPSTREAM_URL: `http://127.0.0.1:${REST_UPSTREAM_PORT}/v1`,
		API_PUBLIC_PATHS: 'public',
		API_MAX_BODY_BYTES: String(200 * 1024 * 1024),
		API_TIMEOUT_MS: '2000'
	})
};

/** Simulates the backend going down (`pause`) and coming back (`resume`), data kept. */
export async function backend(stack: Stack, action: 'pause' | 'resume') {
	const res = await fetch(`${stack.control}/${action}`, { method: 'POST' });
	if (!res.ok) throw new Error(`emulator ${action} failed: ${res.status}`);
}

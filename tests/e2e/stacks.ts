// The app + emulator pairs the browser suite runs against. Separate stacks keep tests that bend the
// backend (short-lived JWTs, outages) or the cookie naming away from the rest.

import { port } from '../support/ports.ts';

/** Where tests/e2e/proxy.e2e.ts runs its recording upstream. */
export const REST_UPSTREAM_PORT = port('E2E_UPSTREAM_PORT');

export type Stack = {
	url: string;
	/** Same server, addressed by IP, for readiness checks. */
	ready: string;
	control: string;
	/** The emulator's deployment URL. */
	backend: string;
	command: string;
	env: Record<string, string>;
};

/** Convex's per-IP limits (convex/limits.ts), out of the way; the emulator's functions read them. */
const UNLIMITED = {
	AUTH_SIGN_IN_PER_IP_PER_MINUTE: '100000',
	AUTH_SIGN_UP_PER_IP_PER_HOUR: '100000',
	AUTH_CODES_PER_IP_PER_HOUR: '100000'
};

/** The main stack's server secret, given to both sides so tests can read its dev outbox. */
export const MAIN_SERVER_SECRET = 'e2e-main-stack-server-secret-0123456789abcdef';

/**
 * `vite preview` serves plain http the way browsers reach it. `node server.ts` is the production server
 * (`npm start`), which takes the protocol from X-Forwarded-Proto here: only raw-HTTP tests use it.
 */
function stack(
	n: number,
	host: string,
	env: Record<string, string> = {},
	server: 'preview' | 'node' = 'preview',
	/** Also run the sample profile API (examples/profile-api) on the emulator's port + 2. */
	profile = false,
	/** Also run the offline OpenID provider on the emulator's port + 3. */
	oidc = false
): Stack {
	const app = port('E2E_APP_PORT') + n;
	const api = port('E2E_BACKEND_PORT') + 10 * n;
	const profileFlag = profile ? ` --profile-port ${api + 2}` : '';
	const oidcFlag = oidc ? ` --oidc-port ${api + 3}` : '';
	const url = `http://${host}:${app}`;
	const serve =
		server === 'preview'
			? `vite preview --strictPort --host 127.0.0.1 --port ${app}`
			: 'node server.ts';
	const serverEnv: Record<string, string> =
		server === 'node'
			? {
					PORT: String(app),
					HOST: '127.0.0.1',
					PROTOCOL_HEADER: 'x-forwarded-proto',
					BODY_SIZE_LIMIT: 'Infinity'
				}
			: {};
	return {
		url,
		ready: `http://127.0.0.1:${app}/`,
		control: `http://127.0.0.1:${api + 9}`,
		backend: `http://127.0.0.1:${api}`,
		command:
			`npx tsx emulator/run.ts --port ${api} --site-port ${api + 1} --control-port ${api + 9}` +
			`${profileFlag}${oidcFlag} -- ${serve}`,
		// Every browser test signs up and logs in from 127.0.0.1; the login limit has its own stack.
		// SITE_URL: where Convex Auth sends a browser back after OAuth.
		env: { AUTH_LOG_LEVEL: 'ERROR', SITE_URL: url, ...UNLIMITED, ...serverEnv, ...env }
	};
}

/** The scoped stack's profile API: /api/* and the /account load reach it with tokens for it alone. */
const SCOPED_PROFILE = `http://127.0.0.1:${port('E2E_BACKEND_PORT') + 10 * 6 + 2}`;

export const stacks = {
	/** With the profile API, which takes the user's Convex JWT (an allow-listed backend). */
	main: stack(0, '127.0.0.1', { AUTH_SERVER_SECRET: MAIN_SERVER_SECRET }, 'preview', true, true),
	/**
	 * JWTs live 6 s, so a session outlives several of them. The relay reauthenticates a quarter of
	 * the lifetime ahead (1.5 s); on a busy CI machine 1 s was once too little for the round trip.
	 */
	shortJwt: stack(1, '127.0.0.1', { AUTH_JWT_DURATION_MS: '6000' }),
	/** The stack whose backend goes down and comes back. */
	outage: stack(3, '127.0.0.1', {}, 'preview', false, true),
	/** Production cookie naming (__Host-, Secure) on http://localhost, which browsers accept. */
	secureCookies: stack(2, 'localhost', { AUTH_COOKIE_SECURE: 'always' }),
	/** The production server; /api/* goes to a recording REST server the tests run (tests/support/upstream.ts). */
	restUpstream: stack(
		4,
		'127.0.0.1',
		{
			API_UPSTREAM_URL: `http://127.0.0.1:${REST_UPSTREAM_PORT}/v1`,
			API_PUBLIC_PATHS: 'public',
			API_MAX_BODY_BYTES: String(300 * 1024 * 1024),
			API_TIMEOUT_MS: '2000'
		},
		'node'
	),
	/** The real login limit, small enough to reach. */
	loginLimit: stack(5, '127.0.0.1', { AUTH_SIGN_IN_PER_IP_PER_MINUTE: '3' }),
	/** The profile API as a scoped backend: it accepts only tokens the app mints for its origin. */
	scopedProfile: stack(
		6,
		'127.0.0.1',
		{
			PUBLIC_ORIGIN: `http://127.0.0.1:${port('E2E_APP_PORT') + 6}`,
			API_UPSTREAM_URL: SCOPED_PROFILE,
			SCOPED_BACKEND_ORIGINS: SCOPED_PROFILE
		},
		'preview',
		true
	)
};

/** Simulates the backend going down (`pause`) and coming back (`resume`), data kept. */
export async function backend(stack: Stack, action: 'pause' | 'resume') {
	const res = await fetch(`${stack.control}/${action}`, { method: 'POST' });
	if (!res.ok) throw new Error(`emulator ${action} failed: ${res.status}`);
}

/** Takes the stack's offline OpenID provider down (`pause`) or brings it back. */
export async function provider(stack: Stack, action: 'pause' | 'resume') {
	const res = await fetch(`${stack.control}/oidc/${action}`, { method: 'POST' });
	if (!res.ok) throw new Error(`provider ${action} failed: ${res.status}`);
}

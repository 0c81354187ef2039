import { isActionFailure, isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { getFunctionName, type FunctionReference } from 'convex/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verification } from './tokens.ts';

const SITE = 'https://happy-otter-123.convex.site';
const mocks = vi.hoisted(() => ({
	verify: vi.fn<(token: string) => Promise<Verification>>(),
	/** Each createClient(token) call, and the calls made through that client. */
	clients: [] as { token: string | null; calls: string[] }[],
	signInAnswer: async (): Promise<unknown> => null,
	mutationAnswer: async (): Promise<unknown> => null,
	mutationArgs: [] as unknown[]
}));

// auth.ts pulls in modules that read the environment or the request at load.
vi.mock('./config.ts', () => ({
	config: {
		convexUrl: 'https://happy-otter-123.convex.cloud',
		convexSiteUrl: 'https://happy-otter-123.convex.site',
		cookieSecure: 'auto',
		loginAttemptsPerMinute: 1000
	}
}));
vi.mock('./session.ts', () => ({ verify: mocks.verify, refresh: vi.fn() }));
vi.mock('./convex.ts', () => ({
	BACKEND_DOWN: 'backend down',
	createClient: (token: string | null) => {
		const client = { token, calls: [] as string[] };
		mocks.clients.push(client);
		return {
			action: async (ref: FunctionReference<'action'>) => {
				client.calls.push(getFunctionName(ref));
				return getFunctionName(ref) === 'auth:signIn' ? mocks.signInAnswer() : null;
			},
			mutation: async (ref: FunctionReference<'mutation'>, args: unknown) => {
				client.calls.push(getFunctionName(ref));
				mocks.mutationArgs.push(args);
				return mocks.mutationAnswer();
			}
		};
	}
}));

const { BAD_CREDENTIALS, MISCONFIGURED, authPageLoad, signInWithPassword, validate } =
	await import('./auth.ts');

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('validate', () => {
	it.each(['signIn', 'signUp'] as const)('accepts a well-formed %s', (flow) => {
		expect(validate(flow, EMAIL, PASSWORD, 'Ada')).toBeNull();
		expect(validate(flow, EMAIL, PASSWORD, '')).toBeNull();
	});

	it.each([
		['an empty email', '', PASSWORD],
		['an empty password', EMAIL, '']
	])('asks for both fields given %s', (_, email, password) => {
		expect(validate('signIn', email, password, '')).toBe('Enter your email and password.');
	});

	it('rejects an email longer than 254 characters before anything else', () => {
		const long = `${'a'.repeat(243)}@example.com`;
		expect(long).toHaveLength(255);
		expect(validate('signUp', long, PASSWORD, '')).toBe('Email must be at most 254 characters.');
		expect(validate('signUp', long.slice(1), PASSWORD, '')).toBeNull();
	});

	it.each([
		'ada',
		'ada@',
		'@example.com',
		'ada@example',
		'ada example@example.com',
		'ada@exa mple.com',
		'ada@@example.com',
		'ada@example.com\n',
		'\tada@example.com'
	])('rejects the malformed email %j', (email) => {
		expect(validate('signUp', email, PASSWORD, '')).toBe(
			'Enter a valid email address, like you@example.com.'
		);
	});

	it.each(['signIn', 'signUp'] as const)(
		'rejects a password longer than 128 characters on %s',
		(flow) => {
			expect(validate(flow, EMAIL, 'p'.repeat(129), '')).toBe(
				'Password must be at most 128 characters.'
			);
			expect(validate(flow, EMAIL, 'p'.repeat(128), '')).toBeNull();
		}
	);

	it('rejects a password shorter than 8 characters when signing up', () => {
		expect(validate('signUp', EMAIL, 'p'.repeat(7), '')).toBe(
			'Password must be at least 8 characters.'
		);
		expect(validate('signUp', EMAIL, 'p'.repeat(8), '')).toBeNull();
	});

	it('lets a short password through on login, so the form does not reveal the rule', () => {
		expect(validate('signIn', EMAIL, 'p', '')).toBeNull();
	});

	it('rejects a name longer than 80 characters', () => {
		expect(validate('signUp', EMAIL, PASSWORD, 'n'.repeat(81))).toBe(
			'Name must be at most 80 characters.'
		);
		expect(validate('signUp', EMAIL, PASSWORD, 'n'.repeat(80))).toBeNull();
	});
});

describe('authPageLoad', () => {
	const load = (search: string) =>
		authPageLoad({
			locals: { user: null } as unknown as App.Locals,
			url: new URL(`http://localhost/login${search}`)
		});

	it('carries a destination over to the other auth page', () => {
		expect(load('?redirectTo=%2Faccount%3Fx%3D1')).toEqual({
			redirectTo: '/account?x=1',
			carry: '?redirectTo=%2Faccount%3Fx%3D1'
		});
	});

	it('carries nothing for the default destination or an off-site one', () => {
		expect(load('')).toEqual({ redirectTo: '/notes', carry: '' });
		expect(load('?redirectTo=https%3A%2F%2Fevil.example')).toEqual({
			redirectTo: '/notes',
			carry: ''
		});
	});
});

describe('signInWithPassword', () => {
	/** An unsigned JWT with these claims: enough for what the server reads before verifying. */
	const jwt = (claims: Record<string, unknown>) =>
		['{"alg":"RS256"}', JSON.stringify(claims), 'sig']
			.map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part))
			.join('.');
	const fresh = (iss = SITE) => ({
		token: jwt({ iss, sub: 'user1|session2', exp: Date.now() / 1000 + 3600 }),
		refreshToken: 'refresh1|session2'
	});
	let ip = 0;
	const valid = (): Verification => ({
		status: 'valid',
		session: {
			user: { id: 'user1', email: EMAIL, name: '' },
			sessionId: 'session2',
			issuedAt: 0,
			expiresAt: Date.now() + 3_600_000
		}
	});
	/** The status and message of the fail() the action returned. */
	const failure = (outcome: unknown) =>
		isActionFailure(outcome)
			? [outcome.status, (outcome.data as { message?: string } | undefined)?.message]
			: outcome;

	/** POST /login with a JWT cookie (or none) already in the browser; what the action returned or threw. */
	async function logIn(token: string | null) {
		const body = new FormData();
		body.set('email', EMAIL);
		body.set('password', PASSWORD);
		const set = new Map<string, string>();
		const event = {
			request: new Request('http://localhost/login', {
				method: 'POST',
				body,
				headers: { 'user-agent': FIREFOX }
			}),
			locals: { token, user: null },
			url: new URL('http://localhost/login'),
			getClientAddress: () => `203.0.113.${++ip}`,
			setHeaders: () => {},
			cookies: {
				set: (name: string, value: string) => set.set(name, value),
				delete: (name: string) => set.delete(name)
			} as unknown as Cookies
		} as unknown as RequestEvent;
		const outcome = await signInWithPassword(event, 'signIn').catch((e: unknown) => e);
		return { outcome, cookies: set };
	}

	beforeEach(() => {
		mocks.clients.length = 0;
		mocks.mutationArgs.length = 0;
		mocks.mutationAnswer = async () => null;
		mocks.verify.mockReset();
	});
	afterEach(() => {
		vi.restoreAllMocks();
	});

	it('asks the backend anonymously even when the browser holds a JWT, then ends that old session', async () => {
		const tokens = fresh();
		mocks.signInAnswer = async () => ({ tokens });
		mocks.verify.mockResolvedValue(valid());
		const { outcome, cookies } = await logIn('stale-jwt');
		expect(isRedirect(outcome) && outcome.location).toBe('/notes');
		expect(mocks.clients).toEqual([
			{ token: null, calls: ['auth:signIn'] },
			{ token: 'stale-jwt', calls: ['auth:signOut'] },
			{ token: tokens.token, calls: ['sessions:describe'] }
		]);
		expect(cookies.get('convex-refresh')).toBe('refresh1|session2');
	});

	it('labels the new session with its browser, system and network, never the full address', async () => {
		mocks.signInAnswer = async () => ({ tokens: fresh() });
		mocks.verify.mockResolvedValue(valid());
		const { outcome } = await logIn(null);
		expect(isRedirect(outcome)).toBe(true);
		expect(mocks.mutationArgs).toEqual([
			{ browser: 'Firefox 133', os: 'Linux', network: '203.0.113.0/24', method: 'password' }
		]);
	});

	it('signs in all the same when the session cannot be labelled', async () => {
		mocks.signInAnswer = async () => ({ tokens: fresh() });
		mocks.mutationAnswer = async () => {
			throw new Error('backend hiccup');
		};
		mocks.verify.mockResolvedValue(valid());
		const { outcome, cookies } = await logIn(null);
		expect(isRedirect(outcome) && outcome.location).toBe('/notes');
		expect(cookies.get('convex-refresh')).toBe('refresh1|session2');
	});

	it('names a CONVEX_SITE_URL that differs from the token’s issuer, instead of calling the backend unreachable', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		mocks.signInAnswer = async () => ({ tokens: fresh('https://auth.example.com') });
		// The key set is looked for at the wrong address: unavailable, not invalid.
		mocks.verify.mockResolvedValue({ status: 'unavailable' });
		const { outcome, cookies } = await logIn(null);
		expect(failure(outcome)).toEqual([500, MISCONFIGURED]);
		expect(logged).toHaveBeenCalledTimes(1);
		expect(logged.mock.calls[0][0]).toContain('"https://auth.example.com"');
		expect(logged.mock.calls[0][0]).toContain(`"${SITE}"`);
		expect(cookies.size).toBe(0);
	});

	it('says the backend is unreachable when the token’s issuer is right but its keys cannot be had', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		mocks.signInAnswer = async () => ({ tokens: fresh() });
		mocks.verify.mockResolvedValue({ status: 'unavailable' });
		const { outcome } = await logIn(null);
		expect(failure(outcome)).toEqual([503, 'backend down']);
		expect(logged).not.toHaveBeenCalled();
	});

	it('reads a failure of the sign-in function as bad credentials, whatever its message', async () => {
		mocks.signInAnswer = async () => Promise.reject(new Error('[Request ID: 1] Server Error'));
		const { outcome } = await logIn(null);
		expect(failure(outcome)).toEqual([400, BAD_CREDENTIALS]);
	});
});

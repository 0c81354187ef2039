import { isActionFailure, isRedirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { getFunctionName, type FunctionReference } from 'convex/server';
import { ConvexError } from 'convex/values';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Verification } from './tokens.ts';
import { START } from '../app.ts';

const SITE = 'https://happy-otter-123.convex.site';
const mocks = vi.hoisted(() => ({
	verify: vi.fn<(token: string) => Promise<Verification>>(),
	/** Each convex(token) call, and the calls made through that client. */
	clients: [] as { token: string | null; calls: string[] }[],
	signInAnswer: async (): Promise<unknown> => null,
	signInArgs: [] as unknown[],
	mutationAnswer: async (): Promise<unknown> => null,
	mutationArgs: [] as unknown[]
}));

// auth.ts pulls in modules that read the environment or the request at load.
vi.mock('./config.ts', () => ({
	config: {
		convexUrl: 'https://happy-otter-123.convex.cloud',
		convexSiteUrl: 'https://happy-otter-123.convex.site',
		cookieSecure: 'auto',
		serverSecret: 'the-server-secret-0123456789abcdefghij'
	}
}));
vi.mock('./session.ts', () => ({ verify: mocks.verify, refresh: vi.fn() }));
vi.mock('./convex.ts', () => ({
	BACKEND_DOWN: 'backend down',
	convex: (token: string | null) => {
		const client = { token, calls: [] as string[] };
		mocks.clients.push(client);
		return {
			action: async (ref: FunctionReference<'action'>, args: unknown) => {
				client.calls.push(getFunctionName(ref));
				if (getFunctionName(ref) === 'auth:signIn') mocks.signInArgs.push(args);
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

const { authPageLoad, signInWithPassword } = await import('./auth.ts');
const { BAD_CREDENTIALS, INVISIBLE_CHARACTERS, MISCONFIGURED, validate } =
	await import('./auth-form.ts');

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

	it.each([
		['a zero-width space', 'ada\u200b@example.com'],
		['a right-to-left override', '\u202eada@example.com'],
		['a zero-width joiner', 'a\u200dda@example.com'],
		['a variation selector', 'ada\ufe0f@example.com']
	])('refuses an email with %s, saying why', (_, email) => {
		expect(validate('signUp', email, PASSWORD, '')).toBe(INVISIBLE_CHARACTERS);
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
		expect(load('')).toEqual({ redirectTo: `/${START.path}`, carry: '' });
		expect(load('?redirectTo=https%3A%2F%2Fevil.example')).toEqual({
			redirectTo: `/${START.path}`,
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
		user: { id: 'user1', email: EMAIL, name: '' },
		session: { id: 'session2', issuedAt: 0, expiresAt: Date.now() + 3_600_000 }
	});
	/** The status and message of the fail() the action returned. */
	const failure = (outcome: unknown) =>
		isActionFailure(outcome)
			? [outcome.status, (outcome.data as { message?: string } | undefined)?.message]
			: outcome;

	/** POST /login with a JWT cookie (or none) already in the browser; what the action returned or threw. */
	async function logIn(token: string | null, email = EMAIL) {
		const body = new FormData();
		body.set('email', email);
		body.set('password', PASSWORD);
		const set = new Map<string, string>();
		const headers: Record<string, string> = {};
		const event = {
			request: new Request('http://localhost/login', {
				method: 'POST',
				body,
				headers: { 'user-agent': FIREFOX }
			}),
			locals: { token, user: null },
			url: new URL('http://localhost/login'),
			getClientAddress: () => `203.0.113.${++ip}`,
			setHeaders: (h: Record<string, string>) => Object.assign(headers, h),
			cookies: {
				set: (name: string, value: string) => set.set(name, value),
				delete: (name: string) => set.delete(name)
			} as unknown as Cookies
		} as unknown as RequestEvent;
		const outcome = await signInWithPassword(event, 'signIn').catch((e: unknown) => e);
		return { outcome, cookies: set, headers };
	}

	beforeEach(() => {
		mocks.clients.length = 0;
		mocks.mutationArgs.length = 0;
		mocks.signInArgs.length = 0;
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
		expect(isRedirect(outcome) && outcome.location).toBe(`/${START.path}`);
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
		expect(isRedirect(outcome) && outcome.location).toBe(`/${START.path}`);
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

	it('calls the deployment with the server secret and the client address adapter-node reports', async () => {
		mocks.signInAnswer = async () => ({ tokens: fresh() });
		mocks.verify.mockResolvedValue(valid());
		const address = `203.0.113.${ip + 1}`; // the next getClientAddress() answer
		await logIn(null, '  RE\u0301NE@Example.com ');
		expect(mocks.signInArgs).toEqual([
			{
				provider: 'password',
				params: {
					serverSecret: 'the-server-secret-0123456789abcdefghij',
					clientIp: address,
					email: 'r\u00e9ne@example.com',
					password: PASSWORD,
					flow: 'signIn'
				}
			}
		]);
	});

	it('answers a rate-limited attempt with 429, Retry-After, a sentence and the email kept', async () => {
		mocks.signInAnswer = async () =>
			Promise.reject(new ConvexError({ code: 'RATE_LIMITED', retryAfter: 125 }));
		const { outcome, headers, cookies } = await logIn(null);
		expect(failure(outcome)).toEqual([429, 'Too many attempts. Try again in 3 minutes.']);
		expect(isActionFailure(outcome) && outcome.data).toMatchObject({ email: EMAIL });
		expect(headers).toEqual({ 'retry-after': '125' });
		expect(cookies.size).toBe(0);
	});

	it('sends an account that must verify its address first to the code page, no cookies set', async () => {
		mocks.signInAnswer = async () =>
			Promise.reject(new ConvexError({ code: 'EMAIL_NOT_VERIFIED' }));
		const { outcome, cookies } = await logIn(null);
		expect(isRedirect(outcome) && [outcome.status, outcome.location]).toEqual([
			303,
			`/verify-email?email=ada%40example.com&redirectTo=${encodeURIComponent(`/${START.path}`)}`
		]);
		expect(cookies.size).toBe(0);
	});

	it.each(['SERVER_ONLY', 'SERVER_SECRET_NOT_CONFIGURED'])(
		'reads %s as a setup problem, logged without the secret',
		async (code) => {
			const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
			mocks.signInAnswer = async () => Promise.reject(new ConvexError({ code }));
			const { outcome } = await logIn(null);
			expect(failure(outcome)).toEqual([500, MISCONFIGURED]);
			expect(logged).toHaveBeenCalledTimes(1);
			expect(logged.mock.calls[0][0]).toContain('AUTH_SERVER_SECRET');
			expect(JSON.stringify(logged.mock.calls)).not.toContain('the-server-secret');
		}
	);

	it('refuses an email with invisible characters before calling the backend', async () => {
		const { outcome } = await logIn(null, 'ada\u200b@example.com');
		expect(failure(outcome)).toEqual([400, INVISIBLE_CHARACTERS]);
		expect(mocks.signInArgs).toEqual([]);
	});
});

import { describe, expect, it, vi } from 'vitest';
import { authPageLoad, validate } from './auth.ts';

// auth.ts pulls in modules that read the environment or the request at load; validate needs none of them.
vi.mock('./config.ts', () => ({
	config: {
		convexUrl: 'http://127.0.0.1:1',
		convexSiteUrl: 'http://127.0.0.1:1',
		cookieSecure: 'auto'
	}
}));
vi.mock('./session.ts', () => ({ verify: vi.fn(), refresh: vi.fn() }));
vi.mock('./convex.ts', () => ({ BACKEND_DOWN: 'backend down', createClient: vi.fn() }));

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse';

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

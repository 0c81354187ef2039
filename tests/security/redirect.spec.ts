// Open redirects through the real login form: whatever `redirectTo` says, the 303 after signing in
// stays on this site. And the error page's "Try again" link, built from the request's path, too.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSWORD, signUp, submitAuth } from './accounts.ts';
import { APP, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const HOSTILE = [
	'//evil.example',
	'https://evil.example',
	'/\\evil.example',
	'\\\\evil.example',
	'/%2F%2Fevil.example',
	'/%5Cevil.example',
	'/%5C%5Cevil.example',
	'%2F%2Fevil.example',
	'/%252F%252Fevil.example',
	'/.//evil.example',
	'/a/../..//evil.example',
	'/%2e%2e//evil.example',
	'/%09/evil.example',
	'/\t/evil.example',
	'/%0d%0aLocation:%20https://evil.example',
	'https:evil.example',
	'//app.example.com@evil.example',
	'javascript:alert(1)',
	'/javascript:alert(1)//%0aalert(1)'
];

/** A Location a browser resolves to this origin: one leading slash, not `//` nor `/\`. */
function expectSameSite(location: string | undefined) {
	expect(location).toBeDefined();
	expect(location!.startsWith('/')).toBe(true);
	expect(location!.startsWith('//')).toBe(false);
	expect(location!.startsWith('/\\')).toBe(false);
	// eslint-disable-next-line no-control-regex
	expect(location).not.toMatch(/[\u0000-\u001f\\]/);
	expect(new URL(location!, APP).origin).toBe(APP);
}

let stack: Stack;
let email: string;
let jar: Jar;

beforeAll(async () => {
	stack = await startStack(4);
	({ email, jar } = await signUp(stack, 'redirect'));
});
afterAll(() => stack?.stop());

describe('signing in through the login form with a hostile redirectTo', () => {
	for (const redirectTo of HOSTILE) {
		test(`lands on this site for redirectTo=${JSON.stringify(redirectTo)}`, async () => {
			const res = await submitAuth(stack, 'login', { email, password: PASSWORD, redirectTo });
			expect(res.status).toBe(303);
			expect(res.setCookies.length).toBeGreaterThan(0); // it did sign in
			expectSameSite(res.headers.location);
		});
	}

	test('keeps a legitimate path with its query: /account?tab=1', async () => {
		const res = await submitAuth(stack, 'login', {
			email,
			password: PASSWORD,
			redirectTo: '/account?tab=1'
		});
		expect(res.status).toBe(303);
		expect(res.headers.location).toBe('/account?tab=1');
	});
});

describe('visiting /login?redirectTo=… while signed in', () => {
	for (const redirectTo of HOSTILE) {
		test(`stays on this site for ${JSON.stringify(redirectTo)}`, async () => {
			const path = `/login?redirectTo=${encodeURIComponent(redirectTo)}`;
			const res = await send(stack, { path, headers: { cookie: jar.header() } });
			expect(res.status).toBe(303);
			expectSameSite(res.headers.location);
		});
	}
});

describe('the error page for a path that reads as another host', () => {
	for (const path of [
		'//evil.test/login',
		'/\\evil.test/x',
		'///evil.com/x',
		'/account/..//evil.com'
	]) {
		test(`links "Try again" to this site for ${JSON.stringify(path)}`, async () => {
			const res = await send(stack, { path });
			expect(res.status).toBe(404);
			const href = /<a [^>]*href="([^"]*)"[^>]*>Try again/.exec(res.text)?.[1];
			expect(href, 'the error page has a Try again link').toBeDefined();
			const target = new URL(href!.replaceAll('&amp;', '&'), `${APP}/some/page`);
			expect(target.origin).toBe(APP);
		});
	}
});

// Every response carries the security headers, not only what the hooks see: static files,
// `/_app/*`, and the HTML error pages of `+server` routes, on the production server (`npm start`)
// and on `vite preview` alike. Responses that set the session cookies are never stored.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FALLBACK_CSP, SECURITY_HEADERS } from '../../src/lib/server/security-headers.ts';
import { PASSWORD, signUp, submitAuth } from './accounts.ts';
import { sameOrigin, send, type Res } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const stacks: Record<'production' | 'preview', Stack | undefined> = {
	production: undefined,
	preview: undefined
};
beforeAll(async () => {
	[stacks.production, stacks.preview] = await Promise.all([
		startStack(10),
		startStack(11, {}, 'preview')
	]);
});
afterAll(() => Promise.all(Object.values(stacks).map((s) => s?.stop())));

function expectSecurityHeaders(res: Res, what: string) {
	for (const [name, value] of Object.entries(SECURITY_HEADERS))
		expect(res.headers[name], `${name} on ${what}`).toBe(value);
}

describe.each(['production', 'preview'] as const)('on the %s server', (server) => {
	const stack = () => stacks[server]!;

	test('static files and /_app/* carry the headers and a CSP that lets nothing run', async () => {
		const home = await send(stack(), { path: '/' });
		const script = /\/_app\/immutable\/[^"']+\.js/.exec(home.text)?.[0];
		expect(script, 'the page links a script under /_app/immutable').toBeDefined();
		for (const path of ['/robots.txt', '/_app/version.json', script!]) {
			const res = await send(stack(), { path });
			expect(res.status, path).toBe(200);
			expectSecurityHeaders(res, path);
			expect(res.headers['content-security-policy'], path).toBe(FALLBACK_CSP);
		}
	});

	test("the HTML error page of /live (401) has a CSP; pages keep SvelteKit's with nonces", async () => {
		const res = await send(stack(), { path: '/live?q=%5B%5D', headers: { accept: 'text/html' } });
		expect(res.status).toBe(401);
		expect(res.headers['content-type']).toMatch(/^text\/html/);
		expectSecurityHeaders(res, '/live');
		expect(res.headers['content-security-policy']).toBe(FALLBACK_CSP);

		const page = await send(stack(), { path: '/login' });
		expectSecurityHeaders(page, '/login');
		expect(page.headers['content-security-policy']).toMatch(/script-src [^;]*'nonce-/);
	});

	test('a 404 for a path that starts with // carries them too', async () => {
		const res = await send(stack(), { path: '//evil.test/login' });
		expect(res.status).toBe(404);
		expectSecurityHeaders(res, '//evil.test/login');
	});
});

describe('responses that set the session cookies', () => {
	test('signing up, signing in and signing out are never stored', async () => {
		const stack = stacks.production!;
		const { email, jar } = await signUp(stack, 'no-store');
		const login = await submitAuth(stack, 'login', { email, password: PASSWORD });
		expect(login.status).toBe(303);
		expect(login.setCookies.length).toBeGreaterThan(0);
		expect(login.headers['cache-control']).toBe('private, no-store');

		const signup = await submitAuth(stack, 'signup', {
			email: `x-${email}`,
			password: PASSWORD
		});
		expect(signup.setCookies.length).toBeGreaterThan(0);
		expect(signup.headers['cache-control']).toBe('private, no-store');

		const logout = await send(stack, {
			method: 'POST',
			path: '/logout',
			headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
			body: ''
		});
		expect(logout.setCookies.length).toBeGreaterThan(0);
		expect(logout.headers['cache-control']).toBe('private, no-store');
	});
});

import { expect, test, type Response } from '@playwright/test';
import { parseSetCookie } from 'cookie';
import { stacks } from './stacks.ts';
import {
	AT_START,
	PASSWORD,
	sessionCookies,
	rename,
	signUp,
	uniqueEmail,
	visit
} from './helpers.ts';

/** Signs up with JavaScript off, so the form POST's own 303 response carries the Set-Cookie headers. */
async function signUpCapturingCookies(page: import('@playwright/test').Page, base: string) {
	await page.goto(`${base}/signup`);
	await page.getByLabel('Email').fill(uniqueEmail('cookies'));
	await page.getByLabel('Password').fill(PASSWORD);
	const [response] = await Promise.all([
		page.waitForResponse(
			(r: Response) => r.request().method() === 'POST' && r.url().includes('/signup')
		),
		page.getByRole('button', { name: 'Create account' }).click()
	]);
	await expect(page).toHaveURL(AT_START);
	const headers = (await response.headersArray()).filter(
		(h) => h.name.toLowerCase() === 'set-cookie'
	);
	return headers.map((h) => ({ raw: h.value, parsed: parseSetCookie(h.value) }));
}

test.describe('with JavaScript disabled', () => {
	test.use({ javaScriptEnabled: false });

	test('sets HttpOnly, SameSite=Lax, Path=/ cookies with no Domain on http://127.0.0.1', async ({
		page
	}) => {
		const cookies = await signUpCapturingCookies(page, stacks.main.url);
		expect(cookies.map((c) => c.parsed.name).sort()).toEqual(['convex-jwt', 'convex-refresh']);
		for (const { raw, parsed } of cookies) {
			expect(parsed.httpOnly, raw).toBe(true);
			expect(parsed.sameSite, raw).toBe('lax');
			expect(parsed.path, raw).toBe('/');
			expect(parsed.domain, raw).toBeUndefined();
			expect(parsed.secure, raw).toBeFalsy();
			expect(raw.length, raw).toBeLessThan(4096);
		}
		const jwt = cookies.find((c) => c.parsed.name === 'convex-jwt')!.parsed;
		const refresh = cookies.find((c) => c.parsed.name === 'convex-refresh')!.parsed;
		expect(jwt.maxAge).toBeGreaterThan(3000);
		expect(jwt.maxAge).toBeLessThanOrEqual(3600);
		expect(refresh.maxAge).toBe(30 * 24 * 60 * 60);
	});

	test('uses __Host- names and Secure under production naming, and the browser keeps them', async ({
		page,
		context
	}) => {
		const cookies = await signUpCapturingCookies(page, stacks.secureCookies.url);
		expect(cookies.map((c) => c.parsed.name).sort()).toEqual([
			'__Host-convex-jwt',
			'__Host-convex-refresh'
		]);
		for (const { raw, parsed } of cookies) {
			expect(parsed.secure, raw).toBe(true);
			expect(parsed.httpOnly, raw).toBe(true);
			expect(parsed.path, raw).toBe('/');
			expect(parsed.domain, raw).toBeUndefined();
		}
		const stored = await sessionCookies(context);
		expect(stored.jwt?.name).toBe('__Host-convex-jwt');
		expect(stored.jwt?.secure).toBe(true);
		// The browser accepted them: the protected page renders for this session.
		await page.goto(`${stacks.secureCookies.url}/account`);
		await expect(page).toHaveURL(/\/account$/);
	});
});

test('never exposes a token to the page, its data, storage or any URL', async ({
	page,
	context
}) => {
	const urls: string[] = [];
	page.on('request', (r) => urls.push(r.url()));
	await signUp(page);
	await visit(page, '/account');
	await rename(page, 'secret-free');
	await visit(page, '/account/sessions');
	await visit(page, '/account');

	const { jwt, refresh } = await sessionCookies(context);
	expect(jwt?.value.length).toBeGreaterThan(100);
	expect(refresh?.value.length).toBeGreaterThan(10);
	const secrets = [jwt!.value, refresh!.value];

	const html = await page.content();
	const data = await (await page.request.get('/account/__data.json')).text();
	const sessions = await (await page.request.get('/account/sessions/__data.json')).text();
	const browserSide = await page.evaluate(() => ({
		cookie: document.cookie,
		local: JSON.stringify({ ...localStorage }),
		session: JSON.stringify({ ...sessionStorage })
	}));
	expect(data).toContain('secret-free');
	expect(browserSide.cookie).toBe('');
	for (const secret of secrets) {
		for (const [where, text] of Object.entries({
			html,
			data,
			sessions,
			...browserSide,
			urls: urls.join('\n')
		})) {
			expect(text.includes(secret), `token found in ${where}`).toBe(false);
		}
	}
});

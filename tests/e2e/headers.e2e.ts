import { expect, test, type Page } from '@playwright/test';
import { logIn, rename, signUp, uniqueEmail, visit } from './helpers.ts';
import { stacks } from './stacks.ts';

/** Collects CSP violations the page reports, so a blocked script or style fails the test. */
async function watchCsp(page: Page) {
	const violations: string[] = [];
	await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			(window as unknown as { reportViolation: (v: string) => void }).reportViolation(
				`${e.violatedDirective} ${e.blockedURI}`
			)
		);
	});
	return violations;
}

test('sends a CSP the pages pass, and the other security headers, on every page', async ({
	page
}) => {
	const violations = await watchCsp(page);
	for (const path of ['/', '/login', '/signup']) {
		const res = await visit(page, path);
		const h = res!.headers();
		expect(h['content-security-policy'], path).toMatch(
			/script-src 'self' 'strict-dynamic' 'nonce-[^']+'/
		);
		expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
		expect(h['content-security-policy'], path).toContain("object-src 'none'");
		expect(h['x-content-type-options'], path).toBe('nosniff');
		expect(h['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
		expect(h['x-frame-options'], path).toBe('DENY');
	}
	await signUp(page);
	await visit(page, '/account');
	await rename(page, 'under CSP');
	await visit(page, '/account/sessions');
	expect(violations).toEqual([]);
});

test('marks signed-in responses private and unstorable', async ({ page }) => {
	await signUp(page);
	for (const path of ['/account', '/account/__data.json', '/account/sessions']) {
		const res = await page.request.get(path);
		expect(res.headers()['cache-control'], path).toBe('private, no-store');
		expect(res.headers()['vary'], path).toMatch(/cookie/i);
	}
});

test('clears site data on logout, still lands on the home page, and Back shows nothing private', async ({
	page
}) => {
	await signUp(page);
	await visit(page, '/account');
	await rename(page, 'private text');
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('private text');
	const [logout] = await Promise.all([
		page.waitForResponse((r) => r.url().includes('/logout') && r.request().method() === 'POST'),
		page.getByRole('button', { name: 'Sign out' }).click()
	]);
	expect((await logout.allHeaders())['clear-site-data']).toBe('"cookies", "storage"');
	await expect(page).toHaveURL(/\/$/);
	// The name shows in a field, whose value is no text of the page: read both.
	const shown = () =>
		page.evaluate(() =>
			[
				document.body.innerText,
				...[...document.querySelectorAll('input')].map((i) => i.value)
			].join('\n')
		);
	await page.goBack();
	expect(await shown()).not.toContain('private text');
	await page.goBack();
	expect(await shown()).not.toContain('private text');
});

test.describe('login limit', () => {
	test.use({ baseURL: stacks.loginLimit.url, javaScriptEnabled: false });

	test('answers 429 with Retry-After and a message once an IP runs out of attempts', async ({
		page
	}) => {
		const email = uniqueEmail('limited');
		let last;
		for (let i = 0; i < 4; i++) {
			await page.goto('/login');
			[last] = await Promise.all([
				page.waitForResponse((r) => r.request().method() === 'POST'),
				logIn(page, email, `wrong password ${i}`)
			]);
		}
		expect(last!.status()).toBe(429);
		expect(Number(last!.headers()['retry-after'])).toBeGreaterThan(0);
		await expect(page.getByRole('alert')).toContainText('Too many attempts');
		await expect(page.getByLabel('Email')).toHaveValue(email);
	});
});

import { expect, test, type Browser } from '@playwright/test';
import { AT_START, logIn, signUp, visit } from './helpers.ts';

async function twoDevices(browser: Browser) {
	const here = await (await browser.newContext()).newPage();
	const email = await signUp(here);
	const there = await (await browser.newContext()).newPage();
	await visit(there, '/login');
	await logIn(there, email);
	await expect(there).toHaveURL(AT_START);
	// On the core's page, whatever START is: a page with a live stream would leave on its own.
	await visit(there, '/account');
	return { here, there };
}

test('lists the sessions, marks this one, and signs another out at once', async ({ browser }) => {
	const { here, there } = await twoDevices(browser);
	await visit(here, '/account/sessions');
	const rows = here.locator('.sessions li');
	await expect(rows).toHaveCount(2);
	await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);

	await rows
		.filter({ hasNotText: 'This device' })
		.getByRole('button', { name: 'Sign out' })
		.click();
	await expect(here.getByRole('status')).toContainText('Signed out 1 session');
	await expect(rows).toHaveCount(1);
	// Its next page is the login page. (A live stream it has open ends at once: live.e2e.ts.)
	await visit(there, '/account');
	await expect(there).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
});

test('signs out all other sessions and keeps this one', async ({ browser }) => {
	const { here, there } = await twoDevices(browser);
	await visit(here, '/account/sessions');
	await here.getByRole('button', { name: /Sign out all other sessions/ }).click();
	await expect(here.locator('.sessions li')).toHaveCount(1);
	await visit(here, '/account');
	await expect(here).toHaveURL(/\/account$/);
	await visit(there, '/account');
	await expect(there).toHaveURL(/\/login/);
});

test('signing out this session from the list signs this browser out', async ({ page }) => {
	await signUp(page);
	await visit(page, '/account/sessions');
	await page.locator('.sessions li').getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/$/);
	await visit(page, '/account');
	await expect(page).toHaveURL(/\/login/);
});

test('names each session’s browser and system, as its browser described itself at sign-in', async ({
	browser
}) => {
	const firefox =
		'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
	const safari =
		'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
	const laptop = await (await browser.newContext({ userAgent: firefox })).newPage();
	const email = await signUp(laptop);
	const phone = await (await browser.newContext({ userAgent: safari })).newPage();
	await visit(phone, '/login');
	await logIn(phone, email);
	await expect(phone).toHaveURL(AT_START);

	await visit(phone, '/account/sessions');
	const rows = phone.locator('.sessions li');
	await expect(rows.filter({ hasText: 'Safari 18 on iOS 18.1 · this device' })).toHaveCount(1);
	await expect(rows.filter({ hasText: 'Firefox 133 on Windows 10' })).toHaveCount(1);
	await expect(rows.first()).toContainText(/with a password .*network 127\.0\.0\.0\/24/);
});

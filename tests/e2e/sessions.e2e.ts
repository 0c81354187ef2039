import { expect, test, type Browser } from '@playwright/test';
import { logIn, signUp, visit } from './helpers.ts';

async function twoDevices(browser: Browser) {
	const here = await (await browser.newContext()).newPage();
	const email = await signUp(here);
	const there = await (await browser.newContext()).newPage();
	await visit(there, '/login');
	await logIn(there, email);
	await expect(there).toHaveURL(/\/notes$/);
	return { here, there };
}

test('lists the sessions, marks this one, and signs another out at once, live stream included', async ({
	browser
}) => {
	const { here, there } = await twoDevices(browser);
	await visit(here, '/account/sessions');
	const rows = here.locator('.sessions li');
	await expect(rows).toHaveCount(2);
	await expect(rows.filter({ hasText: 'This device' })).toHaveCount(1);

	await rows
		.filter({ hasText: 'Another device' })
		.getByRole('button', { name: 'Sign out' })
		.click();
	await expect(here.getByRole('status')).toContainText('Signed out 1 session');
	await expect(rows).toHaveCount(1);
	// The other device was sitting on /notes with a live stream: it is signed out without reloading.
	await expect(there).toHaveURL(/\/login\?redirectTo=%2Fnotes$/, { timeout: 5000 });
	await visit(there, '/notes');
	await expect(there).toHaveURL(/\/login/);
});

test('signs out all other sessions and keeps this one', async ({ browser }) => {
	const { here, there } = await twoDevices(browser);
	await visit(here, '/account/sessions');
	await here.getByRole('button', { name: /Sign out all other sessions/ }).click();
	await expect(here.locator('.sessions li')).toHaveCount(1);
	await visit(here, '/notes');
	await expect(here).toHaveURL(/\/notes$/);
	await visit(there, '/account');
	await expect(there).toHaveURL(/\/login/);
});

test('signing out this session from the list signs this browser out', async ({ page }) => {
	await signUp(page);
	await visit(page, '/account/sessions');
	await page.locator('.sessions li').getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/$/);
	await visit(page, '/notes');
	await expect(page).toHaveURL(/\/login/);
});

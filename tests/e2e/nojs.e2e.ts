import { expect, test } from '@playwright/test';
import { PASSWORD, logIn, uniqueEmail, submitNote } from './helpers.ts';

test.use({ javaScriptEnabled: false });

test('signs up, logs in, adds a note and logs out with JavaScript disabled', async ({ page }) => {
	const email = uniqueEmail('nojs');
	await page.goto('/signup');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(/\/notes$/);

	await submitNote(page, 'Written without JavaScript');
	await expect(page.locator('.notes li')).toContainText(['Written without JavaScript']);

	await page.goto('/account');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/$/);

	await page.goto('/notes');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotes$/);
	await logIn(page, email);
	await expect(page).toHaveURL(/\/notes$/);
	await expect(page.locator('.notes li')).toHaveCount(1);
});

test('shows login errors with JavaScript disabled', async ({ page }) => {
	await page.goto('/login');
	await logIn(page, uniqueEmail('nojs-unknown'), PASSWORD);
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

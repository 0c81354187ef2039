import { expect, test } from '@playwright/test';
import { AT_START, PASSWORD, logIn, submitName, uniqueEmail } from './helpers.ts';

test.use({ javaScriptEnabled: false });

test('signs up, logs in, renames and logs out with JavaScript disabled', async ({ page }) => {
	const email = uniqueEmail('nojs');
	await page.goto('/signup');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(AT_START);

	await page.goto('/account');
	await submitName(page, 'Written without JavaScript');
	await expect(page.getByRole('status')).toHaveText('Name saved.');

	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/$/);

	await page.goto('/account');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
	await logIn(page, email);
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Written without JavaScript');
});

test('shows login errors with JavaScript disabled', async ({ page }) => {
	await page.goto('/login');
	await logIn(page, uniqueEmail('nojs-unknown'), PASSWORD);
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

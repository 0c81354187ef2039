import { expect, test } from '@playwright/test';
import { AT_START, signUp, visit } from './helpers.ts';
import { mailTo } from './mail.ts';

const VERIFY = /Verify your email/;

test('verifies the address from the code mailed at sign-up, and resends one on request', async ({
	page
}) => {
	const email = await signUp(page);
	await visit(page, '/account');
	await expect(page.getByText('not verified')).toBeVisible();
	await mailTo(email, VERIFY);

	await page.getByRole('link', { name: 'enter the emailed code' }).click();
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await page.getByRole('button', { name: 'Email me a new code' }).click();
	await expect(page.getByRole('status')).toContainText('a new code is on its way');
	const resent = await mailTo(email, VERIFY, 2);

	await visit(page, resent.path);
	await expect(page.getByLabel('Code')).toHaveValue(resent.code);
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page).toHaveURL(AT_START);
	await visit(page, '/account');
	await expect(page.getByRole('main').getByText(email)).toBeVisible();
	await expect(page.getByText('not verified')).toHaveCount(0);
});

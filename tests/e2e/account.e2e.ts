import { expect, test } from '@playwright/test';
import { signUp, visit } from './helpers.ts';

test('the account page shows who is signed in and renames them, keeping the name', async ({
	page
}) => {
	const email = await signUp(page);
	await visit(page, '/account');
	await expect(page.locator('.facts')).toContainText(email);
	const name = page.getByLabel('Name', { exact: true });
	await name.fill('Grace H.');
	await page.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByRole('status')).toHaveText('Name saved.');
	await visit(page, '/account');
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Grace H.');
});

test('the account page refuses a name over the limit, keeping what was typed', async ({ page }) => {
	await signUp(page);
	await visit(page, '/account');
	const name = page.getByLabel('Name', { exact: true });
	// The field's maxlength stops typing; a request without it (a script, an old page) is checked too.
	await name.evaluate((input) => input.removeAttribute('maxlength'));
	await name.fill('x'.repeat(81));
	await page.getByRole('button', { name: 'Save name' }).click();
	await expect(page.getByRole('alert')).toHaveText('Names are limited to 80 characters.');
	await expect(name).toHaveValue('x'.repeat(81));
});

import { expect, test } from '@playwright/test';
import { backend, stacks } from './stacks.ts';
import { PASSWORD, logIn, sessionCookies, signUp } from './helpers.ts';

test.use({ baseURL: stacks.outage.url });
test.describe.configure({ mode: 'serial' });

test.afterEach(async () => {
	await backend(stacks.outage, 'resume');
});

test('shows a clear error while the backend is down and keeps the session for when it returns', async ({
	page,
	context
}) => {
	await signUp(page);
	const before = await sessionCookies(context);

	await backend(stacks.outage, 'pause');
	const response = await page.goto('/notes');
	expect(response?.status()).toBe(503);
	await expect(page.getByRole('heading', { name: 'Backend unavailable' })).toBeVisible();
	await expect(page.locator('body')).not.toContainText(/at .*\.js:\d+/); // no stack trace

	// Adding a note fails cleanly too, and nothing is lost from the cookies.
	const after = await sessionCookies(context);
	expect(after.jwt?.value).toBe(before.jwt?.value);
	expect(after.refresh?.value).toBe(before.refresh?.value);

	await backend(stacks.outage, 'resume');
	await page.goto('/notes');
	await expect(page.getByRole('heading', { name: 'Your notes' })).toBeVisible();
});

test('says so on the login form when the backend is unreachable', async ({ page }) => {
	const email = await signUp(page);
	await page.context().clearCookies();
	await backend(stacks.outage, 'pause');
	await page.goto('/login');
	await logIn(page, email, PASSWORD);
	await expect(page.getByRole('alert')).toContainText('unreachable');
	await expect(page.getByLabel('Email')).toHaveValue(email);
});

import { expect, test } from '@playwright/test';
import { AT_START, PASSWORD, logIn, oneUserTwoBrowsers, uniqueEmail, visit } from './helpers.ts';
import { RESET, askForCode, mailCount, mailTo } from './mail.ts';

const NEW_PASSWORD = 'a fresh passphrase';

test('resets a password from the emailed link: the old one fails, every other browser is signed out, this one is in', async ({
	browser
}) => {
	const { first, second, email, close } = await oneUserTwoBrowsers(browser, 'reset');
	// On the core's page, whatever START is: a page with a live stream would leave on its own.
	for (const other of [first, second]) await visit(other, '/account');
	const context = await browser.newContext();
	const here = await context.newPage();
	await askForCode(here, email);

	const mail = await mailTo(email, RESET);
	expect(mail.text).toContain(mail.code);
	await visit(here, mail.path);
	await expect(here.getByLabel('Code')).toHaveValue(mail.code);
	await here.getByLabel('New password').fill(NEW_PASSWORD);
	await here.getByRole('button', { name: 'Set new password' }).click();
	await expect(here).toHaveURL(AT_START);

	// Both other browsers are signed out. (A live stream they have open ends at once: live.e2e.ts.)
	for (const other of [first, second]) {
		await visit(other, '/account');
		await expect(other).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
	}
	await visit(first, '/login');
	await logIn(first, email, PASSWORD);
	await expect(first.getByRole('alert')).toHaveText('Incorrect email or password.');
	await logIn(first, email, NEW_PASSWORD);
	await expect(first).toHaveURL(AT_START);

	// The link's code is spent.
	const again = await (await browser.newContext()).newPage();
	await visit(again, mail.path);
	await again.getByLabel('New password').fill('yet another passphrase');
	await again.getByRole('button', { name: 'Set new password' }).click();
	await expect(again.getByRole('alert')).toContainText('wrong, has expired or was already used');
	await close();
	await context.close();
});

test('an unknown email sees the same page, with the same status, and gets no mail', async ({
	browser
}) => {
	const { email, close } = await oneUserTwoBrowsers(browser, 'known');
	const unknown = uniqueEmail('nobody');
	const pages: string[] = [];
	for (const address of [email, unknown]) {
		const page = await (await browser.newContext()).newPage();
		const response = await askForCode(page, address);
		expect(response.status()).toBe(200);
		// What the person sees; the raw HTML is compared by tests/security/recovery.spec.ts.
		pages.push((await page.locator('main').innerText()).replaceAll(address, 'EMAIL'));
	}
	expect(pages[1]).toBe(pages[0]);
	await mailTo(email, RESET);
	expect(await mailCount(unknown)).toBe(0);
	await close();
});

test('a wrong code or a short password answers in the form, input kept', async ({ page }) => {
	const email = uniqueEmail('typo');
	await visit(page, `/reset-password?email=${encodeURIComponent(email)}&code=12345678`);
	await page.getByLabel('New password').fill('short');
	// The browser's own minlength check would stop the form; the server's answer is under test.
	await page.locator('form').evaluate((form) => form.setAttribute('novalidate', ''));
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByRole('alert')).toHaveText('Password must be at least 8 characters.');
	await expect(page.getByLabel('Email')).toHaveValue(email);
	await expect(page.getByLabel('Code')).toHaveValue('12345678');

	await page.getByLabel('New password').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Set new password' }).click();
	await expect(page.getByRole('alert')).toContainText('wrong, has expired or was already used');
	await expect(page.getByLabel('Code')).toHaveValue('12345678');
});

test('the dev outbox does not exist in a production build', async ({ page }) => {
	const response = await page.goto('/dev/outbox');
	expect(response?.status()).toBe(404);
});

import { expect, test } from '@playwright/test';
import { START, title } from '../../src/lib/app.ts';
import { AT_START, PASSWORD, logIn, logOut, signUp, uniqueEmail, visit } from './helpers.ts';

test('signs up, lands on the START page, and shows who is signed in', async ({ page }) => {
	const email = await signUp(page, uniqueEmail('signup'), PASSWORD, 'Ada');
	await expect(page).toHaveTitle(title(START.label));
	await expect(page.getByRole('navigation')).toContainText('Ada');
	await visit(page, '/account');
	await expect(page.locator('.facts')).toContainText(email);
});

test('logs out, then logs back in', async ({ page }) => {
	const email = await signUp(page);
	await logOut(page);
	await visit(page, '/login');
	await logIn(page, email);
	await expect(page).toHaveURL(AT_START);
});

test('gives one message for a wrong password and an unknown account, keeping the email', async ({
	page
}) => {
	const email = await signUp(page);
	await logOut(page);
	for (const [who, password] of [
		[email, 'wrong password!'],
		[uniqueEmail('nobody'), PASSWORD]
	]) {
		await visit(page, '/login');
		await logIn(page, who, password);
		await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
		await expect(page.getByLabel('Email')).toHaveValue(who);
		await expect(page).toHaveURL(/\/login$/);
	}
});

test('rejects bad input with a clear message and stores nothing', async ({ page }) => {
	await visit(page, '/signup');
	// Skip the browser's own validation to reach the server's.
	await page
		.locator('form:has(input[name=email])')
		.evaluate((f: HTMLFormElement) => (f.noValidate = true));
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('alert')).toContainText('valid email');
	await expect(page.getByLabel('Email')).toHaveValue('not-an-email');

	const email = uniqueEmail('short');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill('short');
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page.getByRole('alert')).toContainText('at least 8 characters');

	// Nothing was stored: the account does not exist.
	await visit(page, '/login');
	await logIn(page, email, 'short');
	await expect(page.getByRole('alert')).toHaveText('Incorrect email or password.');
});

test('sends anonymous visitors to the login page and back to where they were going', async ({
	page
}) => {
	const email = await signUp(page);
	await logOut(page);
	await visit(page, '/account');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
	await logIn(page, email);
	await expect(page).toHaveURL(/\/account$/);
});

for (const target of [
	'https://evil.example/',
	'//evil.example/',
	'/\\evil.example',
	'/%2F%2Fevil.example'
]) {
	test(`ignores an off-site redirectTo ${target}`, async ({ page }) => {
		const email = await signUp(page);
		await logOut(page);
		await visit(page, `/login?redirectTo=${encodeURIComponent(target)}`);
		await logIn(page, email);
		await expect(page).toHaveURL(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${START.path}$`));
	});
}

test('logout is a POST: visiting /logout only asks', async ({ page }) => {
	await signUp(page);
	await visit(page, '/logout');
	await expect(page.getByRole('heading', { name: 'Sign out' })).toBeVisible();
	await visit(page, '/account');
	await expect(page).toHaveURL(/\/account$/);
	await visit(page, '/logout');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await visit(page, '/account');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount$/);
});

test('refuses to sign up an existing email, whatever the password, without signing in', async ({
	page,
	context
}) => {
	const email = await signUp(page);
	await logOut(page);
	for (const password of ['another password', PASSWORD]) {
		await visit(page, '/signup');
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password').fill(password);
		await page.getByRole('button', { name: 'Create account' }).click();
		await expect(page.getByRole('alert')).toContainText('already exists');
		await expect(page).toHaveURL(/\/signup$/);
	}
	expect((await context.cookies()).filter((c) => c.name.includes('convex'))).toEqual([]);
});

test("the header's Log in and Sign up links keep where to go after signing in", async ({
	page
}) => {
	await visit(page, '/login?redirectTo=%2Faccount%3Ftab%3D1');
	const nav = page.getByRole('navigation');
	await expect(nav.getByRole('link', { name: 'Sign up' })).toHaveAttribute(
		'href',
		'/signup?redirectTo=%2Faccount%3Ftab%3D1'
	);
	await nav.getByRole('link', { name: 'Sign up' }).click();
	await expect(page).toHaveURL(/\/signup\?redirectTo=%2Faccount%3Ftab%3D1$/);
	await expect(nav.getByRole('link', { name: 'Log in' })).toHaveAttribute(
		'href',
		'/login?redirectTo=%2Faccount%3Ftab%3D1'
	);
});

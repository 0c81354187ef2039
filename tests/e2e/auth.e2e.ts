import { expect, test } from '@playwright/test';
import { PASSWORD, logIn, logOut, signUp, uniqueEmail, visit, submitNote } from './helpers.ts';

test('signs up, lands on the notes page, and shows who is signed in', async ({ page }) => {
	const email = await signUp(page, uniqueEmail('signup'), PASSWORD, 'Ada');
	await expect(page.getByRole('heading', { name: 'Your notes' })).toBeVisible();
	await expect(page.getByRole('navigation')).toContainText('Ada');
	await visit(page, '/account');
	await expect(page.locator('.facts')).toContainText(email);
});

test('logs out, then logs back in', async ({ page }) => {
	const email = await signUp(page);
	await logOut(page);
	await visit(page, '/login');
	await logIn(page, email);
	await expect(page).toHaveURL(/\/notes$/);
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

test('adds and deletes notes', async ({ page }) => {
	await signUp(page);
	await expect(page.getByText('No notes yet')).toBeVisible();
	await submitNote(page, 'Buy oat milk');
	await submitNote(page, 'Call the plumber');
	const notes = page.locator('.notes li');
	await expect(notes).toHaveCount(2);
	await expect(notes.first()).toContainText('Call the plumber');
	await expect(page.getByLabel('New note')).toHaveValue('');

	await notes.filter({ hasText: 'Buy oat milk' }).getByRole('button', { name: 'Delete' }).click();
	await expect(notes).toHaveCount(1);
	await page.reload();
	await expect(notes).toHaveCount(1);
	await expect(notes.first()).toContainText('Call the plumber');
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
		await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/notes$/);
	});
}

test('logout is a POST: visiting /logout only asks', async ({ page }) => {
	await signUp(page);
	await visit(page, '/logout');
	await expect(page.getByRole('heading', { name: 'Sign out' })).toBeVisible();
	await visit(page, '/notes');
	await expect(page).toHaveURL(/\/notes$/);
	await visit(page, '/logout');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await visit(page, '/notes');
	await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotes$/);
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

test('keeps a note typed while the previous one is still saving, cursor included', async ({
	page
}) => {
	await signUp(page);
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	// Hold the first save in flight, the way a slow network would.
	await page.route('**/notes?/create', async (route) => {
		await held;
		await route.continue();
	});
	await submitNote(page, 'first');
	await expect(page.getByRole('button', { name: 'Adding…' })).toBeDisabled();
	await page.getByLabel('New note').fill('second, typed meanwhile');
	release();
	await expect(page.locator('.notes li')).toHaveCount(1);
	await expect(page.getByLabel('New note')).toHaveValue('second, typed meanwhile');
	// The cursor stayed in the field through the save: typing goes on where it was.
	await expect(page.getByLabel('New note')).toBeFocused();
	await page.keyboard.type(', and more');
	await expect(page.getByLabel('New note')).toHaveValue('second, typed meanwhile, and more');
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

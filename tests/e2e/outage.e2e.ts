import { expect, test } from '@playwright/test';
import {
	PASSWORD,
	logIn,
	oneUserTwoBrowsers,
	sessionCookies,
	signUp,
	submitName,
	submitNote,
	visit
} from './helpers.ts';
import { backend, provider, stacks } from './stacks.ts';

// Every test that pauses the outage stack's backend lives here, run in order: the pauses of two
// files running side by side would land in each other's tests. Those tagged @notes use the notes
// sample, and go with it (docs/make-it-yours.md).

test.use({ baseURL: stacks.outage.url });
test.describe.configure({ mode: 'serial' });

test.afterEach(async () => {
	await backend(stacks.outage, 'resume');
	await provider(stacks.outage, 'resume');
});

test('an OpenID provider that is down: a clear message on /login, nothing half signed in', async ({
	page,
	context
}) => {
	await provider(stacks.outage, 'pause');
	await visit(page, '/login');
	await page.getByRole('button', { name: 'Continue with Offline OpenID' }).click();
	await expect(page).toHaveURL(/\/login\?oauth=down/);
	await expect(page.getByRole('alert')).toHaveText(
		'Offline OpenID is not answering right now. Try again later, or use another way in.'
	);
	const names = (await context.cookies()).map((c) => c.name);
	expect(names.filter((n) => /convex-(jwt|refresh)|oauth-flow/.test(n))).toEqual([]);
});

test('shows a clear error while the backend is down and keeps the session for when it returns', async ({
	page,
	context
}) => {
	await signUp(page);
	await visit(page, '/account');
	const before = await sessionCookies(context);

	await backend(stacks.outage, 'pause');
	// A name saved meanwhile fails in place, with what was typed kept for another try.
	await submitName(page, 'typed during the outage');
	await expect(page.getByRole('alert')).toHaveText(
		'The backend is unreachable right now. Please try again in a moment.'
	);
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('typed during the outage');

	const response = await visit(page, '/account');
	expect(response?.status()).toBe(503);
	await expect(page.getByRole('heading', { name: 'Backend unavailable' })).toBeVisible();
	await expect(page.locator('body')).not.toContainText(/at .*\.js:\d+/); // no stack trace

	// Nothing is lost from the cookies.
	const after = await sessionCookies(context);
	expect(after.jwt?.value).toBe(before.jwt?.value);
	expect(after.refresh?.value).toBe(before.refresh?.value);

	await backend(stacks.outage, 'resume');
	await visit(page, '/account');
	await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');
});

test('a note added while the backend is down fails in place, its text kept @notes', async ({
	page
}) => {
	await signUp(page);
	await visit(page, '/notes');
	await backend(stacks.outage, 'pause');
	await submitNote(page, 'written during the outage');
	await expect(page.getByRole('alert')).toContainText('not saved');
	await expect(page.getByLabel('New note')).toHaveValue('written during the outage');
});

test('says so on the login form when the backend is unreachable', async ({ page }) => {
	const email = await signUp(page);
	await page.context().clearCookies();
	await backend(stacks.outage, 'pause');
	await visit(page, '/login');
	await logIn(page, email, PASSWORD);
	await expect(page.getByRole('alert')).toContainText('unreachable');
	await expect(page.getByLabel('Email')).toHaveValue(email);
});

test('keeps live data relaying once the backend is back @notes', async ({ browser }) => {
	const user = await oneUserTwoBrowsers(browser, 'restart');
	const [w, x] = [user.first, user.second];

	await backend(stacks.outage, 'pause');
	// Down for real: the relay's upstream clients have lost their sockets.
	const connections = async () =>
		((await (await fetch(`${stacks.outage.control}/stats`)).json()) as { connections: number })
			.connections;
	await expect.poll(connections).toBe(0);
	await backend(stacks.outage, 'resume');
	await submitNote(x, 'after the restart');
	// The relay's upstream client reconnects on its own within 5 s of the backend's return.
	await expect(w.locator('.notes li')).toContainText(['after the restart'], { timeout: 5_000 });
	await user.close();
});

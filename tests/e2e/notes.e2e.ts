// The notes sample's page: its form, its list, and what a slow save does to typing. Deleted with
// the sample (docs/make-it-yours.md).
import { expect, test, type Page } from '@playwright/test';
import { addNote, signUp, submitNote, visit } from './helpers.ts';

/**
 * Holds the page's requests to `url` until `release()`, the way a slow network would; `reached`
 * settles when the first of them arrives.
 */
async function hold(page: Page, url: string) {
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let arrive = () => {};
	const reached = new Promise<void>((resolve) => (arrive = resolve));
	await page.route(url, async (route) => {
		arrive();
		await held;
		await route.continue();
	});
	return { reached, release };
}

test('adds and deletes notes', async ({ page }) => {
	await signUp(page);
	await visit(page, '/notes');
	await expect(page.getByText('No notes yet')).toBeVisible();
	// Each save lands before the next note is typed; typing during a save is the next test's.
	await addNote(page, 'Buy oat milk');
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

test('keeps a note typed while the previous one is still saving, cursor included', async ({
	page
}) => {
	await signUp(page);
	await visit(page, '/notes');
	// Hold the first save in flight.
	const { release } = await hold(page, '**/notes?/create');
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

test('keeps the cursor of someone who starts typing while a saved note refreshes the page', async ({
	page
}) => {
	await signUp(page);
	await visit(page, '/notes');
	// The save lands; hold the page's data refresh that follows it.
	const { reached, release } = await hold(page, '**/notes/__data.json*');
	await submitNote(page, 'first');
	await reached;
	await page.getByLabel('New note').fill('second');
	release();
	await expect(page.getByRole('button', { name: 'Add note' })).toBeEnabled();
	await expect(page.getByLabel('New note')).toBeFocused();
	await page.keyboard.type(', typed on');
	await expect(page.getByLabel('New note')).toHaveValue('second, typed on');
});

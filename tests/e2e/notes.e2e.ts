// The notes sample's page: its form, its list, and what a slow save does to typing. Deleted with
// the sample (docs/make-it-yours.md).
import { expect, test } from '@playwright/test';
import { addNote, signUp, submitNote, visit } from './helpers.ts';

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

test('keeps the cursor of someone who starts typing while a saved note refreshes the page', async ({
	page
}) => {
	await signUp(page);
	await visit(page, '/notes');
	let release = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let reached = () => {};
	const refreshing = new Promise<void>((resolve) => (reached = resolve));
	// The save has landed; hold the page's data refresh that follows it, as a slow network would.
	await page.route('**/notes/__data.json*', async (route) => {
		reached();
		await held;
		await route.continue();
	});
	await submitNote(page, 'first');
	await refreshing;
	await page.getByLabel('New note').fill('second');
	release();
	await expect(page.getByRole('button', { name: 'Add note' })).toBeEnabled();
	await expect(page.getByLabel('New note')).toBeFocused();
	await page.keyboard.type(', typed on');
	await expect(page.getByLabel('New note')).toHaveValue('second, typed on');
});

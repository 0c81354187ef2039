import { expect, test } from '@playwright/test';
import { signUp, visit, submitNote } from './helpers.ts';

test('calls the Convex HTTP actions through /api with the session cookie alone', async ({
	page
}) => {
	await signUp(page);
	await submitNote(page, '=SUM(1,2) "quoted"');
	await expect(page.locator('.notes li')).toHaveCount(1);

	const json = await page.request.get('/api/notes/export');
	expect(json.status()).toBe(200);
	expect((await json.json()).map((n: { text: string }) => n.text)).toEqual(['=SUM(1,2) "quoted"']);

	const csv = await page.request.get('/api/notes/export?format=csv');
	expect(csv.headers()['content-type']).toContain('text/csv');
	expect(await csv.text()).toContain(`"'=SUM(1,2) ""quoted"""`);

	const imported = await page.request.post('/api/notes/import', {
		data: { notes: ['one', 'two'] },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(imported.status()).toBe(201);
	await page.reload();
	await expect(page.locator('.notes li')).toHaveCount(3);
});

test('answers 401 to an anonymous /api call', async ({ request }) => {
	const res = await request.get('/api/notes/export');
	expect(res.status()).toBe(401);
});

test('a server load calls a Convex HTTP action as REST, and the page offers a proxied CSV download', async ({
	page
}) => {
	await signUp(page);
	await submitNote(page, 'for the export');
	await expect(page.locator('.notes li')).toHaveCount(1);
	await visit(page, '/notes');
	await expect(page.locator('.export')).toContainText('1 note stored.');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download as CSV' }).click()
	]);
	expect(download.suggestedFilename()).toBe('notes.csv');
});

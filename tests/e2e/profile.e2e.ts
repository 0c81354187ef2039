import { expect, test, type Page } from '@playwright/test';
import { signUp, visit } from './helpers.ts';
import { stacks } from './stacks.ts';

const profile = (page: Page) => page.locator('form.profile');

/** Saves the profile form and waits for the answer it shows. */
async function save(page: Page, displayName: string, theme: string) {
	await profile(page).getByLabel('Display name').fill(displayName);
	await profile(page).getByLabel('Theme').selectOption(theme);
	const button = profile(page).getByRole('button', { name: 'Save profile' });
	await button.click();
}

/** The profile API answered a call made with whatever token the app chose for it. */
async function savedAndReloaded(page: Page) {
	await save(page, 'Ada', 'dark');
	await expect(profile(page).getByRole('status')).toHaveText('Saved.');
	await visit(page, '/account');
	await expect(profile(page).getByLabel('Display name')).toHaveValue('Ada');
	await expect(profile(page).getByLabel('Theme')).toHaveValue('dark');
}

test.describe('a second backend that takes the Convex JWT', () => {
	test('a server load reads the profile from it and a form action saves it', async ({ page }) => {
		await signUp(page);
		await visit(page, '/account');
		await expect(profile(page).getByLabel('Display name')).toHaveValue('');
		await expect(profile(page).getByLabel('Theme')).toHaveValue('system');
		await savedAndReloaded(page);
	});

	test('a refused save shows why in the form and keeps what was typed', async ({ page }) => {
		await signUp(page);
		await visit(page, '/account');
		const long = 'x'.repeat(61);
		// A client that ignores maxlength: the server's own check answers.
		await profile(page)
			.getByLabel('Display name')
			.evaluate((el) => el.removeAttribute('maxlength'));
		await save(page, long, 'light');
		await expect(profile(page).getByRole('alert')).toContainText('limited to 60 characters');
		await expect(profile(page).getByLabel('Display name')).toHaveValue(long);
		await expect(profile(page).getByLabel('Theme')).toHaveValue('light');
		await visit(page, '/account');
		await expect(profile(page).getByLabel('Display name')).toHaveValue('');
	});
});

test.describe('a scoped backend', () => {
	test.use({ baseURL: stacks.scopedProfile.url });

	test('the server load and /api reach it with a token minted for it alone', async ({ page }) => {
		await signUp(page);
		await visit(page, '/account');
		await savedAndReloaded(page);
		const me = await page.locator('dd code').textContent();

		// Through the proxy, with the session cookie only: the same profile, for the same user.
		const viaProxy = await page.request.get('/api/profile');
		expect(viaProxy.status()).toBe(200);
		expect(await viaProxy.json()).toEqual({
			user: me,
			settings: { displayName: 'Ada', theme: 'dark' }
		});
		const put = await page.request.put('/api/profile', {
			data: { displayName: 'Grace', theme: 'light' },
			headers: { origin: stacks.scopedProfile.url }
		});
		expect(put.status()).toBe(200);
		await visit(page, '/account');
		await expect(profile(page).getByLabel('Display name')).toHaveValue('Grace');
	});

	test('its JWKS is public on the app', async ({ request }) => {
		const res = await request.get('/.well-known/jwks.json');
		expect(res.status()).toBe(200);
		const { keys } = (await res.json()) as { keys: { kid: string; d?: string }[] };
		expect(keys).toHaveLength(1);
		expect(keys[0].d).toBeUndefined();
	});
});

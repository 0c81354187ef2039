import { expect, test } from '@playwright/test';
import { stacks } from './stacks.ts';
import { outliveJwt, rename, sessionCookies, signUp, storedName, visit } from './helpers.ts';

test.use({ baseURL: stacks.shortJwt.url });

test('refreshes a JWT that expires mid-session without the user noticing', async ({
	page,
	context
}) => {
	await signUp(page);
	const first = (await sessionCookies(context)).jwt!.value;
	await visit(page, '/account');
	await rename(page, 'before expiry');
	expect(await storedName(page)).toBe('before expiry');

	// The test backend issues 6-second JWTs; outlive two of them. Each save is the first request
	// after its JWT expired, on a page loaded before that.
	for (let round = 0; round < 2; round++) {
		await outliveJwt(context);
		await rename(page, `after expiry ${round}`);
		expect(await storedName(page)).toBe(`after expiry ${round}`);
	}
	await page.reload();
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('after expiry 1');
	// The cookie lives as long as its JWT, so it may be gone by now; it is never the first one again.
	expect((await sessionCookies(context)).jwt?.value).not.toBe(first);
});

import { expect, test } from '@playwright/test';
import { stacks } from './stacks.ts';
import { outliveJwt, sessionCookies, signUp, submitNote } from './helpers.ts';

test.use({ baseURL: stacks.shortJwt.url });

test('refreshes a JWT that expires mid-session without the user noticing', async ({
	page,
	context
}) => {
	await signUp(page);
	const first = (await sessionCookies(context)).jwt!.value;
	await submitNote(page, 'before expiry');
	await expect(page.locator('.notes li')).toHaveCount(1);

	// The test backend issues 6-second JWTs; outlive two of them.
	for (let round = 0; round < 2; round++) {
		await outliveJwt(context);
		await submitNote(page, `after expiry ${round}`);
		await expect(page.locator('.notes li')).toHaveCount(round + 2);
	}
	await page.reload();
	await expect(page).toHaveURL(/\/notes$/);
	await expect(page.locator('.notes li')).toHaveCount(3);
	// The cookie lives as long as its JWT, so it may be gone by now; it is never the first one again.
	expect((await sessionCookies(context)).jwt?.value).not.toBe(first);
});

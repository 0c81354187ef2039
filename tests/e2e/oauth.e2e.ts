import { expect, test, type Page } from '@playwright/test';
import { AT_START, hydrated, sessionCookies, visit } from './helpers.ts';

// The main stack runs the offline OpenID provider (emulator/oidc/): its page is a plain
// form with the test users of docs/offline.md.

const CONTINUE = 'Continue with Offline OpenID';

/** At the provider's page: signs in as `user` and allows, or denies. */
async function atProvider(page: Page, user: string, decision: 'Allow' | 'Deny' = 'Allow') {
	await expect(page.getByRole('heading', { name: 'Offline OpenID provider' })).toBeVisible();
	await page.getByLabel('Username').fill(user);
	await page.getByLabel('Password').fill(`${user}-password`);
	await page.getByRole('button', { name: decision }).click();
}

test('signs in through the provider and lands on the page it started from, tokens out of reach', async ({
	page,
	context
}) => {
	const committed: string[] = [];
	const requested: string[] = [];
	page.on('framenavigated', (frame) => committed.push(frame.url()));
	page.on('request', (request) => requested.push(request.url()));

	await visit(page, '/login?redirectTo=/account');
	await page.getByRole('button', { name: CONTINUE }).click();
	await atProvider(page, 'ada');
	await expect(page).toHaveURL(/\/account$/);
	await expect(page.locator('.methods')).toHaveText('Offline OpenID');
	await hydrated(page);

	const { jwt, refresh } = await sessionCookies(context);
	expect(jwt?.httpOnly).toBe(true);
	expect(refresh?.httpOnly).toBe(true);
	const tokens = [jwt!.value, refresh!.value];
	const seen = await page.evaluate(() => ({
		cookie: document.cookie,
		html: document.documentElement.outerHTML,
		storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
	}));
	for (const token of tokens) {
		for (const text of [seen.cookie, seen.html, seen.storage, ...committed, ...requested]) {
			expect(text).not.toContain(token);
		}
	}
	// The one-time code came back in a redirect the server answered with another: no page ever
	// showed it in the address bar.
	expect(committed.filter((url) => url.includes('code='))).toEqual([]);
	expect(requested.some((url) => /\/oauth\/oidc\/callback\?code=\d{8}/.test(url))).toBe(true);
	expect((await context.cookies()).some((c) => c.name.endsWith('oauth-flow'))).toBe(false);

	await visit(page, '/account/sessions');
	await expect(page.locator('.sessions li').first()).toContainText('with Offline OpenID');
});

test('works without JavaScript, from the sign-up page too', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/signup');
	await page.getByRole('button', { name: CONTINUE }).click();
	await atProvider(page, 'grace');
	await expect(page).toHaveURL(AT_START);
	await page.goto('/account');
	await expect(page.locator('.methods')).toHaveText('Offline OpenID');
	await context.close();
});

test('denying consent returns to /login with a message, signed out', async ({ page, context }) => {
	await visit(page, '/login');
	await page.getByRole('button', { name: CONTINUE }).click();
	await atProvider(page, 'ada', 'Deny');
	await expect(page).toHaveURL(/\/login\?oauth=failed/);
	await expect(page.getByRole('alert')).toHaveText(
		'Signing in with Offline OpenID was cancelled or did not complete. Nothing was changed.'
	);
	expect((await sessionCookies(context)).jwt).toBeUndefined();
});

test("login CSRF: the attacker's callback link does not sign the victim in", async ({
	browser
}) => {
	// The attacker walks their own sign-in and keeps the callback instead of following it.
	const attacker = await browser.newContext();
	const page = await attacker.newPage();
	await visit(page, '/login');
	const callback = page.waitForRequest(/\/oauth\/oidc\/callback\?code=/);
	await page.route(/\/oauth\/oidc\/callback\?code=/, (route) => route.abort());
	await page.getByRole('button', { name: CONTINUE }).click();
	await atProvider(page, 'mallory');
	const link = (await callback).url();
	await attacker.close();

	const victim = await browser.newContext();
	const victimPage = await victim.newPage();
	await victimPage.goto(link);
	await expect(victimPage).toHaveURL(/\/login\?oauth=expired/);
	await expect(victimPage.getByRole('alert')).toContainText('not started in this browser');
	expect((await sessionCookies(victim)).jwt).toBeUndefined();
	await victim.close();
});

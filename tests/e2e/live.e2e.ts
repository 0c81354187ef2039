import { expect, test, type BrowserContext, type Request } from '@playwright/test';
import { decodeJwt } from 'jose';
import { AT_START, addNote, oneUserTwoBrowsers, sessionCookies, signUp, visit } from './helpers.ts';
import { RESET, askForCode, mailTo } from './mail.ts';
import { stacks, type Stack } from './stacks.ts';

/** Two tabs of one session, both on /notes: the first signed up there. */
async function twoTabs(context: BrowserContext) {
	const a = await context.newPage();
	await signUp(a);
	const b = await context.newPage();
	await visit(b, '/notes');
	return [a, b] as const;
}

test('two browsers of one user see each other’s notes live; another user never does', async ({
	browser
}) => {
	const alice = await oneUserTwoBrowsers(browser, 'alice');
	const [a, b] = [alice.first, alice.second];
	const bob = await browser.newContext();
	const c = await bob.newPage();
	await signUp(c);

	await addNote(a, 'live from A');
	await expect(b.locator('.notes li')).toContainText(['live from A']);
	await addNote(b, 'live from B');
	await expect(a.locator('.notes li')).toContainText(['live from B', 'live from A']);
	await expect(c.getByText('No notes yet')).toBeVisible();
	await expect(c.locator('body')).not.toContainText('live from');
	await Promise.all([alice.close(), bob.close()]);
});

test('tabs of one session share the stream’s updates, and deletions arrive too', async ({
	context
}) => {
	const [a, b] = await twoTabs(context);
	await addNote(a, 'shared');
	await expect(b.locator('.notes li')).toContainText(['shared']);
	await b.locator('.notes li').getByRole('button', { name: 'Delete' }).click();
	await expect(a.getByText('No notes yet')).toBeVisible();
});

test('logging out in one tab ends the other tab’s stream and shows it signed out', async ({
	context
}) => {
	const [a, b] = await twoTabs(context);
	await addNote(a, 'before logout');
	await expect(b.locator('.notes li')).toContainText(['before logout']);

	await visit(a, '/account');
	await a.getByRole('button', { name: 'Sign out' }).click();
	await expect(b).toHaveURL(/\/login\?redirectTo=%2Fnotes$/, { timeout: 5000 });
	await expect(b.locator('body')).not.toContainText('before logout');
});

test('a session signed out from another browser’s list loses its stream at once', async ({
	browser
}) => {
	const user = await oneUserTwoBrowsers(browser, 'revoked');
	const [here, there] = [user.first, user.second];
	await visit(there, '/notes');
	await visit(here, '/account/sessions');
	await here
		.locator('.sessions li')
		.filter({ hasNotText: 'This device' })
		.getByRole('button', { name: 'Sign out' })
		.click();
	await expect(here.getByRole('status')).toContainText('Signed out 1 session');
	await expect(there).toHaveURL(/\/login\?redirectTo=%2Fnotes$/, { timeout: 5000 });
	await user.close();
});

test('a password reset ends the streams of the browsers it signs out', async ({ browser }) => {
	const user = await oneUserTwoBrowsers(browser, 'reset-live');
	for (const other of [user.first, user.second]) await visit(other, '/notes');
	const context = await browser.newContext();
	const here = await context.newPage();
	await askForCode(here, user.email);
	await visit(here, (await mailTo(user.email, RESET)).path);
	await here.getByLabel('New password').fill('a fresh passphrase');
	await here.getByRole('button', { name: 'Set new password' }).click();
	await expect(here).toHaveURL(AT_START);
	for (const other of [user.first, user.second]) {
		await expect(other).toHaveURL(/\/login\?redirectTo=%2Fnotes$/, { timeout: 5000 });
	}
	await Promise.all([user.close(), context.close()]);
});

test('never puts a token in a URL or a header other than the HttpOnly cookie', async ({
	page,
	context
}) => {
	const seen: { url: string; headers: Record<string, string> }[] = [];
	page.on('request', async (r) => seen.push({ url: r.url(), headers: await r.allHeaders() }));
	page.on('response', async (r) =>
		seen.push({ url: r.url(), headers: await r.allHeaders().catch(() => ({})) })
	);
	await signUp(page);
	await addNote(page, 'watched');
	await page.reload();
	await expect(page.locator('.notes li')).toContainText(['watched']);
	const { jwt, refresh } = await sessionCookies(context);
	expect(seen.some((s) => s.url.includes('/live?q='))).toBe(true);
	for (const { url, headers } of seen) {
		for (const secret of [jwt!.value, refresh!.value]) {
			expect(url.includes(secret), url).toBe(false);
			for (const [name, value] of Object.entries(headers)) {
				// The cookie headers are the one channel tokens travel on: HttpOnly, never readable by scripts.
				if (name === 'cookie' || name === 'set-cookie') continue;
				expect(value.includes(secret), `${name} of ${url}`).toBe(false);
			}
		}
		expect(headers['authorization'], url).toBeUndefined();
	}
});

test('refuses a stream opened from another origin, or without a session', async ({
	page,
	context
}) => {
	await signUp(page);
	const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const q = encodeURIComponent(JSON.stringify([['notes:list', {}]]));
	const crossSite = await page.request.get(`/live?q=${q}`, {
		headers: { cookie, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }
	});
	expect(crossSite.status()).toBe(403);
	const anonymous = await page.request.get(`/live?q=${q}`, { headers: { cookie: '' } });
	expect(anonymous.status()).toBe(401);
	const notAllowed = await page.request.get(
		`/live?q=${encodeURIComponent(JSON.stringify([['auth:isAuthenticated', {}]]))}`
	);
	expect(notAllowed.status()).toBe(403);
});

/**
 * AuthErrors the stack's backend sent for an expired token of this browser's session. The backend
 * checks expiry only when it next has work for the connection, as Convex does, so a relay that
 * re-authenticates late still recovers — but not without one of these.
 */
async function expiredTokenErrors(stack: Stack, context: BrowserContext): Promise<number> {
	const jwt = (await sessionCookies(context)).jwt!.value;
	const sub = decodeJwt(jwt).sub as string;
	const stats = (await (await fetch(`${stack.control}/stats`)).json()) as {
		expiredTokens: Record<string, number>;
	};
	return stats.expiredTokens[sub] ?? 0;
}

test.describe('with 6-second JWTs', () => {
	test.use({ baseURL: stacks.shortJwt.url });

	test('keeps the stream live across several token refreshes', async ({ browser }) => {
		const user = await oneUserTwoBrowsers(browser, 'refresh-live');
		const [w, x] = [user.first, user.second];
		// The watcher does nothing but keep its stream open. Before each JWT expires the server asks
		// it to reopen, and that request refreshes the session: wait for two of those.
		const first = (await sessionCookies(w.context())).jwt?.value;
		let reopened = 0;
		w.on('response', (r) => {
			if (new URL(r.url()).pathname === '/live' && r.status() === 200) reopened++;
		});
		await expect.poll(() => reopened, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
		expect((await sessionCookies(w.context())).jwt?.value).not.toBe(first);
		await addNote(x, 'after two refreshes');
		await expect(w.locator('.notes li')).toContainText(['after two refreshes'], { timeout: 5_000 });
		await expect(w).toHaveURL(/\/notes$/);
		// The relay gave the backend each new JWT before the old one expired.
		expect(await expiredTokenErrors(stacks.shortJwt, w.context())).toBe(0);
		await user.close();
	});
});

test('a live query the allowlist refuses is shown on the page and not retried', async ({
	page
}) => {
	await signUp(page);
	// The page asks for a query the server does not serve live, as after adding one to a page but
	// not to src/lib/server/live/registry.ts.
	const opened: Request[] = [];
	await page.route('**/live?*', async (route) => {
		opened.push(route.request());
		const url = new URL(route.request().url());
		url.searchParams.set('q', JSON.stringify([['notes:create', {}]]));
		await route.continue({ url: url.href });
	});
	await page.clock.install();
	// Only a stream this route rewrote: the one signUp's page opened may answer after this point.
	const refused = page.waitForResponse((r) => opened.includes(r.request()));
	await visit(page, '/notes');
	expect((await refused).status()).toBe(403);
	await expect(page.getByRole('status')).toHaveText('Live updates stopped: Not live-readable');
	// Any retry (backoff of at most 5 s) would be a timer due well within this minute.
	await page.clock.runFor(60_000);
	// A request made after any retry would have been: its answer means the route saw them all.
	await page.evaluate(() => fetch('/robots.txt').then((r) => r.text()));
	expect(opened).toHaveLength(1);
});

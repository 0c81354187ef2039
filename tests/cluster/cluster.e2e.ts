import { expect, test, type BrowserContext, type Page, type Response } from '@playwright/test';
import { decodeJwt } from 'jose';
import {
	addNote,
	oneUserTwoBrowsers,
	outliveJwt,
	sessionCookies,
	signUp,
	visit
} from '../e2e/helpers.ts';
import { backendControlUrl, balancerUrl, CLUSTER, controlUrl } from './stack.ts';
import { NO_STORE } from '../../src/lib/server/security-headers.ts';
import { AUTH_LIMITS } from '../../convex/limits.ts';

// Every request goes through nginx (deploy/nginx.conf), round-robin over two instances. The test
// copy of the config names the instance that answered in X-Upstream.
test.use({ baseURL: balancerUrl });
// One file, in order: the last test kills an instance.
test.describe.configure({ mode: 'serial' });

const instanceOf = (r: { headers: () => Record<string, string> }) => r.headers()['x-upstream'];
const isLive = (r: Response) => new URL(r.url()).pathname === '/live';

/** The instance serving `page`'s current event stream, once one is open. */
function streams(page: Page) {
	const opened: string[] = [];
	page.on('response', (r) => void (isLive(r) && r.status() === 200 && opened.push(instanceOf(r))));
	return {
		opened,
		latest: async () => {
			await expect.poll(() => opened.length).toBeGreaterThan(0);
			return opened[opened.length - 1];
		}
	};
}

/**
 * One tab of this session on /notes with its stream on each instance. (Browsers hold at most six
 * connections per host, and each stream keeps one: tabs that land where a stream already is close.)
 */
async function tabsOnBothInstances(context: BrowserContext) {
	const tabs = new Map<string, Page>();
	for (let tries = 0; tabs.size < 2; tries++) {
		expect(tries, 'every stream landed on one instance').toBeLessThan(8);
		const page = await context.newPage();
		const live = streams(page);
		await visit(page, '/notes');
		const instance = await live.latest();
		if (!tabs.has(instance)) tabs.set(instance, page);
		else {
			await page.close();
			await context.request.get('/healthz'); // shifts the round-robin by one
		}
	}
	return [...tabs].map(([instance, page]) => ({ instance, page }));
}

/** Resolves when `page`'s open event stream ends (the response body completes or fails). */
function streamEnds(page: Page) {
	const ended = (r: { url: () => string }) => new URL(r.url()).pathname === '/live';
	return Promise.race([
		page.waitForEvent('requestfinished', { predicate: ended, timeout: 0 }),
		page.waitForEvent('requestfailed', { predicate: ended, timeout: 0 })
	]);
}

async function control(path: string, base = controlUrl) {
	const res = await fetch(`${base}${path}`, { method: 'POST' });
	expect(res.status, path).toBeLessThan(300);
}

test('a signed-in browser is served by either instance, without stickiness', async ({ page }) => {
	await signUp(page);
	const served: string[] = [];
	while (new Set(served).size < 2) {
		expect(served.length, 'every page came from one instance').toBeLessThan(8);
		const response = await page.reload();
		expect(response!.status()).toBe(200);
		await expect(page).toHaveURL(/\/notes$/);
		served.push(instanceOf(response!));
		// A reload is a fixed number of requests; one more shifts the round-robin by one.
		await page.request.get('/healthz');
	}
	expect([...new Set(served)].sort()).toEqual(CLUSTER.instances.map((p) => `127.0.0.1:${p}`));
});

test('a stream on one instance shows a note added through the other', async ({ browser }) => {
	const alice = await oneUserTwoBrowsers(browser, 'cluster');
	const watcher = streams(alice.first);
	await visit(alice.first, '/notes');
	const streamOn = await watcher.latest();
	for (let n = 0; ; n++) {
		expect(n, 'every add landed on the stream’s instance').toBeLessThan(6);
		const [post] = await Promise.all([
			alice.second.waitForResponse((r) => r.request().method() === 'POST'),
			addNote(alice.second, `note ${n}`)
		]);
		if (instanceOf(post) === streamOn) {
			// Each add is a fixed number of requests; one more shifts the round-robin by one.
			await alice.second.request.get('/healthz');
			continue;
		}
		await expect(alice.first.locator('.notes li')).toContainText([`note ${n}`]);
		break;
	}
	await alice.close();
});

test('logging out through one instance ends the streams on the other within 2 s', async ({
	context
}) => {
	const first = await context.newPage();
	await signUp(first);
	const tabs = await tabsOnBothInstances(context);
	const ends = tabs.map((t) => streamEnds(t.page));

	await visit(first, '/account');
	const [logout] = await Promise.all([
		first.waitForResponse((r) => r.request().method() === 'POST'),
		first.getByRole('button', { name: 'Sign out' }).click()
	]);
	const elsewhere = tabs.findIndex((t) => t.instance !== instanceOf(logout));
	const started = Date.now();
	await ends[elsewhere];
	expect(Date.now() - started).toBeLessThan(2000);
	await Promise.all(ends);
	for (const { page } of tabs) await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotes$/);
});

test('signing out other sessions ends their streams on both instances within 2 s', async ({
	browser
}) => {
	const alice = await oneUserTwoBrowsers(browser, 'others');
	const tabs = await tabsOnBothInstances(alice.first.context());
	const ends = tabs.map((t) => streamEnds(t.page));

	await visit(alice.second, '/account/sessions');
	await alice.second.getByRole('button', { name: /Sign out all other sessions/ }).click();
	await expect(alice.second.locator('.sessions li')).toHaveCount(1);
	const started = Date.now();
	await Promise.all(ends);
	expect(Date.now() - started).toBeLessThan(2000);
	for (const { page } of tabs) await expect(page).toHaveURL(/\/login\?redirectTo=%2Fnotes$/);
	await expect(alice.second).toHaveURL(/\/account\/sessions$/);
	await alice.close();
});

test('50 parallel requests with an expired JWT, over both instances, all stay signed in', async ({
	page,
	context
}) => {
	test.setTimeout(60_000);
	await signUp(page);
	await addNote(page, 'kept');
	const expired = (await sessionCookies(context)).jwt!;
	await outliveJwt(context);
	// The browser dropped the JWT cookie when it expired; put the expired token back, so every
	// request carries it with the one refresh token.
	await context.addCookies([{ ...expired, expires: -1 }]);
	expect(decodeJwt(expired.value).exp! * 1000).toBeLessThan(Date.now());

	const answers = await page.evaluate(() =>
		Promise.all(
			Array.from({ length: 50 }, async () => {
				const r = await fetch('/notes', { redirect: 'manual' });
				const html = await r.text();
				return { status: r.status, by: r.headers.get('x-upstream'), kept: html.includes('kept') };
			})
		)
	);
	expect(answers.filter((a) => a.status !== 200 || !a.kept)).toEqual([]);
	expect(new Set(answers.map((a) => a.by)).size).toBe(2);
	// Whichever rotated pair the browser kept last, it still works on both instances.
	for (let i = 0; i < 4; i++) {
		await page.reload();
		await expect(page).toHaveURL(/\/notes$/);
		await expect(page.locator('.notes li')).toContainText(['kept']);
	}
});

test('/healthz says whether the backend answers, and nothing more', async ({ request }) => {
	const health = async () => {
		const res = await request.get('/healthz');
		expect(res.headers()['cache-control']).toBe(NO_STORE);
		return { status: res.status(), body: await res.json() };
	};
	expect(await health()).toEqual({ status: 200, body: { status: 'ok' } });
	await control('/pause', backendControlUrl);
	try {
		await expect.poll(health).toEqual({ status: 503, body: { status: 'backend unreachable' } });
	} finally {
		await control('/resume', backendControlUrl);
	}
	await expect.poll(health).toEqual({ status: 200, body: { status: 'ok' } });
});

test('when an instance dies mid-stream, the browser reopens through the other within 5 s, missing nothing', async ({
	browser
}) => {
	const alice = await oneUserTwoBrowsers(browser, 'failover');
	const watcher = streams(alice.first);
	await visit(alice.first, '/notes');
	await watcher.latest();
	const before = watcher.opened.length;
	const doomed = watcher.opened[before - 1];
	const i = CLUSTER.instances.findIndex((p) => doomed === `127.0.0.1:${p}`);
	try {
		await control(`/instances/${i}/kill`);
		const killed = Date.now();
		// Written while the stream is down: the reopened stream must bring it.
		await addNote(alice.second, 'while reconnecting');
		await expect.poll(() => watcher.opened.length, { timeout: 5000 }).toBeGreaterThan(before);
		expect(Date.now() - killed).toBeLessThan(5000);
		expect(watcher.opened[before]).not.toBe(doomed);
		await expect(alice.first.locator('.notes li')).toContainText(['while reconnecting']);
		await addNote(alice.second, 'after reconnecting');
		await expect(alice.first.locator('.notes li')).toContainText(['after reconnecting']);
	} finally {
		await control(`/instances/${i}/start`);
	}
	await alice.close();
});

test('the sign-in limit is one budget, whichever instance answers', async ({ page }) => {
	// AUTH_SIGN_IN_PER_IP_PER_MINUTE keeps its default here; the earlier tests' sign-ins only
	// leave less of it.
	const budget = AUTH_LIMITS.AUTH_SIGN_IN_PER_IP_PER_MINUTE;
	// nginx skips an instance for 5 s after it failed (the previous test killed one).
	const answering = new Set<string>();
	await expect
		.poll(async () => answering.add(instanceOf(await page.request.get('/healthz'))).size, {
			timeout: 20_000
		})
		.toBe(2);
	await visit(page, '/login');
	// Twice the budget at once, from the page, so the bucket barely refills meanwhile: one budget
	// for both instances accepts about `budget` of them, one per instance about twice that.
	const answers = await page.evaluate(async (n) => {
		const attempt = async (i: number) => {
			const r = await fetch('/login', {
				method: 'POST',
				headers: { 'x-sveltekit-action': 'true' },
				body: new URLSearchParams({ email: `nobody-${i}@example.com`, password: 'not it 1' })
			});
			return {
				status: r.status,
				by: r.headers.get('x-upstream'),
				retry: r.headers.get('retry-after')
			};
		};
		return Promise.all(Array.from({ length: n }, (_, i) => attempt(i)));
	}, 2 * budget);
	const refused = answers.filter((a) => a.status === 429);
	expect(answers.length - refused.length).toBeLessThanOrEqual(budget + 1);
	expect(refused.length).toBeGreaterThan(0);
	for (const a of refused) expect(Number(a.retry)).toBeGreaterThan(0);
	const served = new Set(answers.map((a) => a.by));
	expect(served.size, 'the attempts reached both instances').toBe(2);
});

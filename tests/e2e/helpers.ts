import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { START } from '../../src/lib/app.ts';

export const PASSWORD = 'correct horse battery';

/** Where signing in lands when no `redirectTo` says otherwise (START), as a URL pattern. */
export const AT_START = new RegExp(`/${START.path}$`);

let n = 0;
/** A fresh address per call, so tests never share an account. */
export function uniqueEmail(tag = 'user'): string {
	return `${tag}-${process.pid}-${Date.now()}-${n++}@example.com`;
}

export async function signUp(page: Page, email = uniqueEmail(), password = PASSWORD, name = '') {
	await visit(page, '/signup');
	if (name) await page.getByLabel('Name').fill(name);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Create account' }).click();
	await expect(page).toHaveURL(AT_START);
	await hydrated(page);
	return email;
}

/**
 * Types a name into the account page's rename form and submits it; the caller checks what happened.
 * The core's own state-changing form: tests that need a write use it.
 */
export async function submitName(page: Page, name: string) {
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByRole('button', { name: 'Save name' }).click();
}

/** Renames the user from a freshly loaded account page (no status shown yet) and waits for the save. */
export async function rename(page: Page, name: string) {
	await submitName(page, name);
	await expect(page.getByRole('status')).toHaveText('Name saved.');
}

/**
 * The user's name as the account page shows it on a fresh load: what the backend stores. (The
 * header's name comes from the JWT, which keeps the old one until it is next refreshed.)
 */
export async function storedName(page: Page) {
	await visit(page, '/account');
	return page.getByLabel('Name', { exact: true }).inputValue();
}

/** Types a note into the notes page's form and submits it; the caller checks what happened. */
export async function submitNote(page: Page, text: string) {
	await page.getByLabel('New note').fill(text);
	await page.getByRole('button', { name: 'Add note' }).click();
}

/** Adds a note and waits until it shows in the list. */
export async function addNote(page: Page, text: string) {
	await submitNote(page, text);
	await expect(page.locator('.notes li').filter({ hasText: text })).toHaveCount(1);
}

/** `page.goto`, then waits for the page to hydrate: what a person sees as "the page has loaded". */
export async function visit(page: Page, url: string) {
	await markHydration(page);
	const response = await page.goto(url);
	await hydrated(page);
	return response;
}

/**
 * Waits until the page's scripts have taken over (<html data-hydrated>, see markHydration).
 * Typing into a page before that races its own hydration: a form submitted natively reloads the
 * page and takes anything typed meanwhile with it.
 */
export async function hydrated(page: Page) {
	await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

const marked = new WeakSet<Page>();

/**
 * Has every document the page loads mark <html data-hydrated> once SvelteKit's client router
 * starts, which it does after hydrating the page, its actions (use:enhance) and onMount included:
 * its first step is to listen for `beforeunload` on the window. The app itself carries no marker.
 */
async function markHydration(page: Page) {
	if (marked.has(page)) return;
	marked.add(page);
	await page.addInitScript(() => {
		const listen = window.addEventListener;
		window.addEventListener = function (this: Window, ...args: Parameters<typeof listen>) {
			if (args[0] === 'beforeunload') document.documentElement.dataset.hydrated = '';
			return listen.apply(this, args);
		} as typeof listen;
	});
}

/**
 * One user signed in from two separate browsers (contexts, so two sessions), both on START:
 * the first signed up there, the second logged in.
 */
export async function oneUserTwoBrowsers(browser: Browser, tag = 'user') {
	const contexts = [await browser.newContext(), await browser.newContext()];
	const first = await contexts[0].newPage();
	const email = await signUp(first, uniqueEmail(tag));
	const second = await contexts[1].newPage();
	await visit(second, '/login');
	await logIn(second, email);
	await expect(second).toHaveURL(AT_START);
	return { first, second, email, close: () => Promise.all(contexts.map((c) => c.close())) };
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page) {
	await visit(page, '/account');
	await page.getByRole('button', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/$/);
}

/** The session cookies as the browser stores them (the test can read HttpOnly ones; pages cannot). */
export async function sessionCookies(context: BrowserContext) {
	const cookies = await context.cookies();
	const find = (suffix: string) => cookies.find((c) => c.name.endsWith(suffix));
	return { jwt: find('convex-jwt'), refresh: find('convex-refresh'), all: cookies };
}

/** Waits until the JWT now in the cookie has expired, by the `exp` it states. */
export async function outliveJwt(context: BrowserContext) {
	const jwt = (await sessionCookies(context)).jwt?.value;
	if (!jwt) return; // the cookie lives no longer than its JWT
	const exp = decodeJwt(jwt).exp as number;
	await expect.poll(() => Date.now() > exp * 1000, { timeout: 60_000 }).toBe(true);
}

// The main stack's dev outbox (convex/outbox.ts), read as the app's server reads it.
import { expect, type Page } from '@playwright/test';
import { ConvexHttpClient } from 'convex/browser';
import { api } from '../../convex/_generated/api';
import { visit } from './helpers.ts';
import { MAIN_SERVER_SECRET, stacks } from './stacks.ts';

type Mail = { to: string; subject: string; text: string; html: string };

function outbox(to: string): Promise<Mail[]> {
	const client = new ConvexHttpClient(stacks.main.backend);
	return client.action(api.outbox.read, { serverSecret: MAIN_SERVER_SECRET, to });
}

/**
 * Waits until `count` mails to `to` have a subject matching `subject` (mail leaves in a transaction
 * after the request's), and returns the newest, with the link to this app it carries and that
 * link's path (the offline backend's SITE_URL is the dev server's origin, not this stack's).
 */
export async function mailTo(to: string, subject: RegExp, count = 1) {
	let matching: Mail[] = [];
	await expect
		.poll(
			async () => (matching = (await outbox(to)).filter((m) => subject.test(m.subject))).length,
			{
				timeout: 10_000
			}
		)
		.toBeGreaterThanOrEqual(count);
	const [latest] = matching;
	const link = /Or open (\S+)/.exec(latest.text)?.[1];
	if (!link) throw new Error(`no link in: ${latest.text}`);
	const url = new URL(link);
	return {
		...latest,
		link,
		path: url.pathname + url.search,
		code: url.searchParams.get('code') ?? ''
	};
}

export const mailCount = async (to: string) => (await outbox(to)).length;

/** The subject of the password-reset mail. */
export const RESET = /Reset your .* password/;

/** Asks for a password-reset code from the login page's link; returns the form's answer. */
export async function askForCode(page: Page, email: string) {
	await visit(page, '/login');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	await expect(page).toHaveURL(/\/forgot-password$/);
	await page.getByLabel('Email').fill(email);
	const [response] = await Promise.all([
		page.waitForResponse((r) => r.request().method() === 'POST'),
		page.getByRole('button', { name: 'Email me a code' }).click()
	]);
	await expect(page.getByRole('status')).toContainText(email);
	return response;
}

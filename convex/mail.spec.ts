import { Resend } from '@convex-dev/resend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, internal } from './_generated/api';
import { APP_NAME } from './app';
import { codeMail, noPasswordMail } from './messages';
import { SERVER_SECRET, errorData, newTest, setAuthEnv } from './test.setup';

beforeEach(setAuthEnv);
afterEach(() => {
	vi.unstubAllEnvs();
	vi.restoreAllMocks();
});

const resetMail = () => codeMail('reset', 'ada@example.com', '12345678');

describe('mail', () => {
	it("says the app's name in text and HTML and links only to the app", () => {
		const mail = resetMail();
		for (const body of [mail.text, mail.html]) {
			expect(body).toContain(APP_NAME);
			expect(body).toContain('12345678');
			const hosts = [...body.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => new URL(m[0]).origin);
			expect(hosts).toEqual([new URL(process.env.SITE_URL!).origin]);
		}
		expect(mail.html).not.toMatch(/<img|<script|<link|src=/i);
		expect(mail.html).toContain('/reset-password?email=ada%40example.com&#38;code=12345678');
	});

	it('escapes what it quotes in HTML', () => {
		expect(noPasswordMail('a@example.com', ['<b>Evil</b>']).html).not.toContain('<b>Evil');
	});

	it('lands in the outbox without a provider, readable by the app server alone', async () => {
		const t = newTest();
		const mail = resetMail();
		await t.mutation(internal.mail.send, mail);
		expect(await t.action(api.outbox.read, { serverSecret: SERVER_SECRET })).toMatchObject([mail]);
		expect(await errorData(t.action(api.outbox.read, { serverSecret: 'a guess' }))).toEqual({
			code: 'SERVER_ONLY'
		});
	});

	it('goes to Resend with RESEND_API_KEY, and then the outbox is closed and stays empty', async () => {
		vi.stubEnv('RESEND_API_KEY', 're_test_key');
		vi.stubEnv('MAIL_FROM', `${APP_NAME} <no-reply@example.com>`);
		const sent = vi.spyOn(Resend.prototype, 'sendEmail');
		const t = newTest();
		const mail = resetMail();
		await t.mutation(internal.mail.send, mail);
		expect(sent).toHaveBeenCalledWith(expect.anything(), {
			from: `${APP_NAME} <no-reply@example.com>`,
			...mail
		});
		expect(await errorData(t.action(api.outbox.read, { serverSecret: SERVER_SECRET }))).toEqual({
			code: 'OUTBOX_OFF'
		});
		expect(await t.run((ctx) => ctx.db.query('mailOutbox').collect())).toEqual([]);
	});
});

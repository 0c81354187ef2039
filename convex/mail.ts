// Every email the deployment sends goes through `send`: to Resend when RESEND_API_KEY is set,
// otherwise into the mailOutbox table, where a developer reads it (convex/outbox.ts).
import { Resend } from '@convex-dev/resend';
import { v } from 'convex/values';
import { components } from './_generated/api';
import { internalMutation } from './_generated/server';

/** Whether mail leaves the deployment; without a provider it lands in the dev outbox. */
export function mailConfigured(): boolean {
	return Boolean(process.env.RESEND_API_KEY);
}

// Resend's test mode delivers only to addresses Resend approves; a deployment with a key sends for
// real unless RESEND_TEST_MODE=true says otherwise.
const resend = () =>
	new Resend(components.resend, { testMode: process.env.RESEND_TEST_MODE === 'true' });

export const message = v.object({
	to: v.string(),
	subject: v.string(),
	text: v.string(),
	html: v.string()
});

/** Runs after the request that asked for the mail, so sending costs that request no time. */
export const send = internalMutation({
	args: message,
	handler: async (ctx, mail) => {
		if (!mailConfigured()) {
			await ctx.db.insert('mailOutbox', mail);
			return;
		}
		const from = process.env.MAIL_FROM;
		if (!from)
			throw new Error(
				'MAIL_FROM must be set with RESEND_API_KEY (e.g. "App <no-reply@example.com>")'
			);
		await resend().sendEmail(ctx, { from, ...mail });
	}
});

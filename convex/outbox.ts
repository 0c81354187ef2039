// The dev outbox: the mail convex/mail.ts kept because no provider is configured. Only the app's
// server reads it (the gate), and only while nothing is sent for real: a deployment with
// RESEND_API_KEY answers OUTBOX_OFF and never writes here.
import { ConvexError, v } from 'convex/values';
import { internal } from './_generated/api';
import type { Doc } from './_generated/dataModel';
import { action, internalQuery } from './_generated/server';
import { requireServer } from './gate';
import { mailConfigured } from './mail';

const SHOWN = 20;

export const read = action({
	args: { serverSecret: v.optional(v.string()), to: v.optional(v.string()) },
	handler: async (ctx, { serverSecret, to }): Promise<Doc<'mailOutbox'>[]> => {
		await requireServer(serverSecret);
		if (mailConfigured()) throw new ConvexError({ code: 'OUTBOX_OFF' });
		return await ctx.runQuery(internal.outbox.latest, { to });
	}
});

/** The newest mail first, to one address or to anyone. */
export const latest = internalQuery({
	args: { to: v.optional(v.string()) },
	handler: async (ctx, { to }) => {
		const mail =
			to === undefined
				? ctx.db.query('mailOutbox')
				: ctx.db.query('mailOutbox').withIndex('by_to', (q) => q.eq('to', to));
		return await mail.order('desc').take(SHOWN);
	}
});

// Password reset and email verification by emailed code. Asking for a code is a public action
// behind the server gate; redeeming one is a password flow (`auth:signIn`, convex/password.ts)
// that signs in the code's account. The database side is convex/recoveryStore.ts.
import { ConvexError, v } from 'convex/values';
import { internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { type ActionCtx, action } from './_generated/server';
import { CODE_DIGITS, type Purpose, codeDigest, newCode } from './codes';
import { type Params, clientIpFrom, emailFrom, passwordFrom, scrypt } from './credentials';
import { requireServer } from './gate';
import { codePurpose } from './schema';

/** AUTH_VERIFY_EMAIL_FIRST=true: no session until the address is verified (docs/recovery.md). */
export function mustVerifyFirst(): boolean {
	return process.env.AUTH_VERIFY_EMAIL_FIRST === 'true';
}

/**
 * Emails a code for the address if it has an account the purpose fits, and answers the same
 * either way: whether mail was sent never shows. RATE_LIMITED only for the client IP's budget.
 */
export const requestCode = action({
	args: {
		serverSecret: v.optional(v.string()),
		clientIp: v.optional(v.string()),
		email: v.string(),
		purpose: codePurpose
	},
	handler: async (ctx, args) => {
		await requireServer(args.serverSecret);
		const ip = clientIpFrom(args.clientIp);
		const email = emailFrom(args.email);
		const { retryAfter } = await sendCode(ctx, { email, ip, purpose: args.purpose });
		if (retryAfter > 0) throw new ConvexError({ code: 'RATE_LIMITED', retryAfter });
		return null;
	}
});

/** Makes a code here (an action has a real random source) and leaves the rest to one mutation. */
export async function sendCode(
	ctx: ActionCtx,
	args: { email: string; ip: string; purpose: Purpose }
): Promise<{ retryAfter: number }> {
	const code = newCode();
	const digest = await codeDigest(args.purpose, args.email, code);
	return await ctx.runMutation(internal.recoveryStore.issue, { ...args, code, digest });
}

/** `reset-verification`: email, code and newPassword. The new password works, nothing else does. */
export async function resetPassword(ctx: ActionCtx, params: Params): Promise<Id<'users'>> {
	const email = emailFrom(params.email);
	const password = passwordFrom(params.newPassword, 'new');
	// Hashed before the code is checked, so a wrong code takes as long as a right one.
	const secret = await scrypt.hash(password);
	const digest = await codeDigest('reset', email, codeFrom(params.code));
	const userId = await ctx.runMutation(internal.recoveryStore.completeReset, {
		email,
		digest,
		secret
	});
	if (userId === null) throw new ConvexError({ code: 'INVALID_CODE' });
	return userId;
}

/** `email-verification`: email and code. */
export async function verifyEmail(ctx: ActionCtx, params: Params): Promise<Id<'users'>> {
	const email = emailFrom(params.email);
	const digest = await codeDigest('verify', email, codeFrom(params.code));
	const userId = await ctx.runMutation(internal.recoveryStore.confirmEmail, { email, digest });
	if (userId === null) throw new ConvexError({ code: 'INVALID_CODE' });
	return userId;
}

/** A malformed code still goes through the check (and counts as a try): it simply never matches. */
function codeFrom(value: unknown): string {
	const code = typeof value === 'string' ? value.replace(/\s/g, '') : '';
	return code.length === CODE_DIGITS ? code : '-';
}

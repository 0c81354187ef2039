// The transactions behind convex/recovery.ts: issuing a code (and its email), and spending one.
import { v } from 'convex/values';
import { internal } from './_generated/api';
import type { Doc, Id } from './_generated/dataModel';
import { type MutationCtx, internalMutation } from './_generated/server';
import { limitCodeRequest } from './abuse';
import { redeemCode, storeCode } from './codes';
import { type Mail, codeMail, noPasswordMail } from './messages';
import { PROVIDER } from './password';
import { codePurpose } from './schema';
import { signOutEverywhere } from './endSessions';

const codeArgs = { email: v.string(), digest: v.bytes() };

/**
 * Spends the budgets, then stores the code and queues its email if the address has an account
 * the purpose fits: a password to reset, or an address not yet verified. A reset for an account
 * that signs in only through another provider is told how it signs in.
 */
export const issue = internalMutation({
	args: { ...codeArgs, ip: v.string(), purpose: codePurpose, code: v.string() },
	handler: async (ctx, { email, ip, purpose, code, digest }) => {
		const { retryAfter, accountSpent } = await limitCodeRequest(ctx, ip, email);
		if (accountSpent) return { retryAfter };
		const account = await passwordAccount(ctx, email);
		const user = account && (await ctx.db.get(account.userId));
		let mail: Mail | null = null;
		if (account && (purpose === 'reset' || user?.emailVerificationTime === undefined)) {
			await storeCode(ctx, { email, purpose, digest });
			mail = codeMail(purpose, email, code);
		} else if (!account && purpose === 'reset') {
			const providers = await otherProviders(ctx, email);
			if (providers.length > 0) mail = noPasswordMail(email, providers);
		}
		// Sent by a later transaction: this one costs the same with or without an account.
		if (mail) await ctx.scheduler.runAfter(0, internal.mail.send, mail);
		return { retryAfter: 0 };
	}
});

/**
 * The reset itself, all at once: the code is spent, the password replaced, the address counts as
 * verified (the code came through it), and every session of the account is signed out.
 */
export const completeReset = internalMutation({
	args: { ...codeArgs, secret: v.string() },
	handler: async (ctx, { email, digest, secret }): Promise<Id<'users'> | null> => {
		if (!(await redeemCode(ctx, { email, purpose: 'reset', digest }))) return null;
		const account = await passwordAccount(ctx, email);
		if (account === null) return null;
		await ctx.db.patch(account._id, { secret });
		await markVerified(ctx, account);
		await signOutEverywhere(ctx, account.userId);
		return account.userId;
	}
});

export const confirmEmail = internalMutation({
	args: codeArgs,
	handler: async (ctx, { email, digest }): Promise<Id<'users'> | null> => {
		if (!(await redeemCode(ctx, { email, purpose: 'verify', digest }))) return null;
		const account = await passwordAccount(ctx, email);
		if (account === null) return null;
		await markVerified(ctx, account);
		return account.userId;
	}
});

/** Convex Auth's own flags: `emailVerificationTime` on the user, `emailVerified` on the account. */
async function markVerified(ctx: MutationCtx, account: Doc<'authAccounts'>): Promise<void> {
	const user = await ctx.db.get(account.userId);
	if (user && user.emailVerificationTime === undefined) {
		await ctx.db.patch(user._id, { emailVerificationTime: Date.now() });
	}
	await ctx.db.patch(account._id, { emailVerified: account.providerAccountId });
}

function passwordAccount(ctx: MutationCtx, email: string) {
	return ctx.db
		.query('authAccounts')
		.withIndex('providerAndAccountId', (q) =>
			q.eq('provider', PROVIDER).eq('providerAccountId', email)
		)
		.unique();
}

/** The providers a user with this address signs in with, when none of them is a password. */
async function otherProviders(ctx: MutationCtx, email: string): Promise<string[]> {
	const user = await ctx.db
		.query('users')
		.withIndex('email', (q) => q.eq('email', email))
		.first();
	if (user === null) return [];
	const accounts = await ctx.db
		.query('authAccounts')
		.withIndex('userIdAndProvider', (q) => q.eq('userId', user._id))
		.take(10);
	return accounts.map((a) => a.provider.charAt(0).toUpperCase() + a.provider.slice(1));
}

// One-time codes sent by email, for a password reset or to verify an address. The code itself
// exists only in the email: the table keeps a digest, bound to the address and the purpose.
import type { Infer } from 'convex/values';
import type { MutationCtx } from './_generated/server';
import { sameDigest, sha256 } from './gate';
import type { codePurpose } from './schema';

export type Purpose = Infer<typeof codePurpose>;

/** How long an emailed code works. */
export const CODE_LIFETIME_MS = 15 * 60 * 1000;
/** Guesses one code allows: the fifth wrong one deletes it. */
export const CODE_ATTEMPTS = 5;
export const CODE_DIGITS = 8;

/**
 * A fresh code: CODE_DIGITS decimal digits from the platform's CSPRNG, each drawn without modulo
 * bias. Made in an action, like Convex Auth's own codes, never in a (deterministic) mutation.
 */
export function newCode(): string {
	let code = '';
	while (code.length < CODE_DIGITS) {
		const [byte] = crypto.getRandomValues(new Uint8Array(1));
		if (byte < 250) code += String(byte % 10);
	}
	return code;
}

/** What the table keeps of a code: a code for one address and purpose fits no other. */
export async function codeDigest(purpose: Purpose, email: string, code: string) {
	const digest = await sha256(`${purpose}:${email}:${code.trim()}`);
	return digest.buffer as ArrayBuffer;
}

/** Stores a new code for the address, replacing any earlier one: only the latest email works. */
export async function storeCode(
	ctx: MutationCtx,
	args: { email: string; purpose: Purpose; digest: ArrayBuffer }
): Promise<void> {
	const earlier = await find(ctx, args.email, args.purpose);
	if (earlier) await ctx.db.delete(earlier._id);
	await ctx.db.insert('authCodes', {
		...args,
		expiresAt: Date.now() + CODE_LIFETIME_MS,
		attempts: 0
	});
}

/**
 * Spends the address's code if `digest` matches it: true once, then never again. A wrong code
 * counts against the stored one, in this transaction, so every app instance shares the count.
 * Returns instead of throwing, or the count would be rolled back with the refusal.
 */
export async function redeemCode(
	ctx: MutationCtx,
	args: { email: string; purpose: Purpose; digest: ArrayBuffer }
): Promise<boolean> {
	const stored = await find(ctx, args.email, args.purpose);
	if (stored === null) return false;
	if (stored.expiresAt < Date.now()) {
		await ctx.db.delete(stored._id);
		return false;
	}
	if (sameDigest(new Uint8Array(stored.digest), new Uint8Array(args.digest))) {
		await ctx.db.delete(stored._id);
		return true;
	}
	if (stored.attempts + 1 >= CODE_ATTEMPTS) await ctx.db.delete(stored._id);
	else await ctx.db.patch(stored._id, { attempts: stored.attempts + 1 });
	return false;
}

function find(ctx: MutationCtx, email: string, purpose: Purpose) {
	return ctx.db
		.query('authCodes')
		.withIndex('by_email_and_purpose', (q) => q.eq('email', email).eq('purpose', purpose))
		.unique();
}

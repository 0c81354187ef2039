import { ConvexCredentials } from '@convex-dev/auth/providers/ConvexCredentials';
import { createAccount, retrieveAccount } from '@convex-dev/auth/server';
import { ConvexError } from 'convex/values';
import { internal } from './_generated/api';
import type { DataModel, Doc } from './_generated/dataModel';
import type { ActionCtx } from './_generated/server';
import {
	DUMMY_HASH,
	type Profile,
	clientIpFrom,
	passwordFrom,
	profileFrom,
	scrypt
} from './credentials';
import { requireServer } from './gate';
import { mustVerifyFirst, resetPassword, sendCode, verifyEmail } from './recovery';

export const PROVIDER = 'password';

// What `retrieveAccount` throws (as `new Error(reason)`) when it finds no account.
const NO_ACCOUNT = 'InvalidAccountId';

/**
 * Unknown account, wrong password and locked account all end here with one answer. A distinct
 * "locked" answer would confirm that the account exists (only accounts get locked).
 */
function invalidCredentials(): ConvexError<{ code: string }> {
	return new ConvexError({ code: 'INVALID_CREDENTIALS' });
}

/**
 * Email + password, built from the public ConvexCredentials API instead of the library's Password
 * provider, whose sign-up signs in an existing account when the password matches (a password
 * oracle) and whose sign-in tells unknown accounts apart. Every flow passes the server gate first.
 */
export function EmailPassword() {
	return ConvexCredentials<DataModel>({
		id: PROVIDER,
		authorize: async (params, ctx) => {
			await requireServer(params.serverSecret);
			const flow = params.flow;
			// Emailed codes (convex/recovery.ts): both sign in the code's account.
			if (flow === 'reset-verification') return { userId: await resetPassword(ctx, params) };
			if (flow === 'email-verification') return { userId: await verifyEmail(ctx, params) };
			if (flow !== 'signUp' && flow !== 'signIn') throw new ConvexError({ code: 'INVALID_FLOW' });
			const ip = clientIpFrom(params.clientIp);
			const password = passwordFrom(params.password, flow === 'signUp' ? 'new' : 'signIn');
			const profile = profileFrom(params);
			const { retryAfter, locked } = await ctx.runMutation(internal.abuse.begin, {
				flow,
				ip,
				email: profile.email
			});
			if (retryAfter > 0) throw new ConvexError({ code: 'RATE_LIMITED', retryAfter });
			if (flow === 'signUp') {
				const userId = await signUp(ctx, profile, password);
				await sendCode(ctx, { email: profile.email, ip, purpose: 'verify' });
				if (mustVerifyFirst()) throw new ConvexError({ code: 'EMAIL_NOT_VERIFIED' });
				return { userId };
			}

			const found = await findAccount(ctx, profile.email);
			// One hash checked on every path (a never-matching one for an unknown account), and a
			// failure counted on every refusal: the three refusals cost the same time and calls.
			const matches = await scrypt.verify(found?.account.secret ?? DUMMY_HASH, password);
			if (locked || found === null || !matches) {
				await ctx.runMutation(internal.abuse.failed, { ip, email: profile.email });
				throw invalidCredentials();
			}
			// Only the right password learns that the address still needs verifying; it gets a code.
			if (mustVerifyFirst() && found.user.emailVerificationTime === undefined) {
				await sendCode(ctx, { email: profile.email, ip, purpose: 'verify' });
				throw new ConvexError({ code: 'EMAIL_NOT_VERIFIED' });
			}
			return { userId: found.user._id };
		},
		crypto: {
			hashSecret: (password) => scrypt.hash(password),
			verifySecret: (password, hash) => scrypt.verify(hash, password)
		}
	});
}

async function signUp(ctx: ActionCtx, profile: Profile, password: string) {
	// Look for the account without its password: createAccount on an existing account compares
	// passwords and signs in on a match.
	if ((await findAccount(ctx, profile.email)) !== null) {
		throw new ConvexError({ code: 'EMAIL_TAKEN' });
	}
	const account = { id: profile.email, secret: password };
	try {
		const { user } = await createAccount(ctx, { provider: PROVIDER, account, profile });
		return user._id;
	} catch (e) {
		// Lost a race with a concurrent sign-up of the same email? Asked again rather than read from
		// the error, whose text reaches this action rewrapped by Convex. (Had the racer used the very
		// same password, createAccount signs in instead: one guess per account creation, in a window
		// of milliseconds.)
		if ((await findAccount(ctx, profile.email)) !== null) {
			throw new ConvexError({ code: 'EMAIL_TAKEN' });
		}
		throw e;
	}
}

/**
 * The account and its user, read without a secret: Convex Auth then neither verifies a password
 * nor touches its own failed-attempt counter, which would let anyone lock the owner out (ten
 * failures from anywhere). The password is checked here and failures counted in convex/abuse.ts.
 */
async function findAccount(
	ctx: ActionCtx,
	email: string
): Promise<{ account: Doc<'authAccounts'>; user: Doc<'users'> } | null> {
	try {
		return await retrieveAccount(ctx, { provider: PROVIDER, account: { id: email } });
	} catch (e) {
		if (e instanceof Error && e.message === NO_ACCOUNT) return null;
		throw e;
	}
}

import { ConvexCredentials } from '@convex-dev/auth/providers/ConvexCredentials';
import { convexAuth, createAccount, retrieveAccount } from '@convex-dev/auth/server';
import { ConvexError, type Value } from 'convex/values';
import { Scrypt } from 'lucia';
import type { DataModel, Doc } from './_generated/dataModel';
import type { ActionCtx } from './_generated/server';
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from './limits';

const PROVIDER = 'password';
/** Failed passwords per account per hour; after that one more try every 6 minutes. */
const MAX_FAILED_SIGN_INS_PER_HOUR = 10;

// The same hashing Convex Auth's own Password provider uses, so existing hashes keep verifying.
const scrypt = new Scrypt();

// A Scrypt hash of a random string nobody knows. Verifying a password against it costs exactly
// what verifying against a real account's hash costs, and it never matches.
const DUMMY_HASH =
	'fcd4732c9db70a9630cbc874e359f21a:bf1ce89f4399a9589cddc30d6a12605a92f39ff59d567ad60ba5338b2660e2401a1c3baa3a3ae3aa1f0e572d63ec0e8e116e89c78f6065b95c0079680aa78e18';

// What `retrieveAccount` throws (as `new Error(reason)`) when it finds no account, when the
// account is locked by the failed-attempt counter, and when the password is wrong.
const NO_ACCOUNT = 'InvalidAccountId';
const LOCKED = 'TooManyFailedAttempts';
const WRONG_PASSWORD = 'InvalidSecret';

type Params = Partial<Record<string, Value | undefined>>;

function profileFrom(params: Params): { email: string; name?: string } {
	const email = String(params.email ?? '')
		.trim()
		.toLowerCase();
	if (!isEmail(email) || email.length > EMAIL_MAX) {
		throw new ConvexError({ code: 'INVALID_EMAIL' });
	}
	const name = String(params.name ?? '')
		.trim()
		.slice(0, 80);
	return name ? { email, name } : { email };
}

function passwordFrom(params: Params, flow: 'signUp' | 'signIn'): string {
	const password = params.password;
	if (typeof password !== 'string') throw new ConvexError({ code: 'INVALID_PASSWORD' });
	// Sign-in takes any string: an account made under older bounds must still be able to sign in,
	// and a password outside today's bounds simply fails verification.
	if (flow === 'signUp' && (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX)) {
		throw new ConvexError({ code: 'INVALID_PASSWORD' });
	}
	return password;
}

function reasonOf(error: unknown): string | undefined {
	return error instanceof Error ? error.message : undefined;
}

/**
 * Unknown account, wrong password and locked account all end here with one answer. A distinct
 * "locked" answer would confirm that the account exists (only accounts get locked) and that the
 * attacker's guesses are spent, so the locked owner sees "incorrect" even for the right password;
 * the product accepts that cost.
 */
function invalidCredentials(): ConvexError<{ code: string }> {
	return new ConvexError({ code: 'INVALID_CREDENTIALS' });
}

/**
 * Email + password, built from the public ConvexCredentials API instead of the library's Password
 * provider, whose sign-up signs in an existing account when the password matches (a password
 * oracle that skips the failed-attempt counter) and whose sign-in tells unknown accounts apart.
 */
function EmailPassword() {
	return ConvexCredentials<DataModel>({
		id: PROVIDER,
		authorize: async (params, ctx) => {
			const flow = params.flow;
			if (flow !== 'signUp' && flow !== 'signIn') throw new ConvexError({ code: 'INVALID_FLOW' });
			const password = passwordFrom(params, flow);
			const profile = profileFrom(params);
			const account = { id: profile.email, secret: password };

			if (flow === 'signUp') {
				// Check for the account without its password: createAccount on an existing account
				// compares passwords and signs in on a match.
				if (await accountExists(ctx, profile.email)) throw new ConvexError({ code: 'EMAIL_TAKEN' });
				try {
					const { user } = await createAccount(ctx, { provider: PROVIDER, account, profile });
					return { userId: user._id };
				} catch (e) {
					// Lost a race with a concurrent sign-up of the same email? Asked again rather than
					// read from the error, whose text reaches this action rewrapped by Convex. (Had the
					// racer used the very same password, createAccount signs in instead: one guess per
					// account creation, in a window of milliseconds.)
					if (await accountExists(ctx, profile.email))
						throw new ConvexError({ code: 'EMAIL_TAKEN' });
					throw e;
				}
			}

			let retrieved: { user: Doc<'users'> } | null;
			try {
				// Verifies the password inside the library's mutation and counts failures per account.
				retrieved = await retrieveAccount(ctx, { provider: PROVIDER, account });
			} catch (e) {
				const reason = reasonOf(e);
				if (reason === WRONG_PASSWORD) throw invalidCredentials();
				if (reason !== NO_ACCOUNT && reason !== LOCKED) throw e;
				retrieved = null;
			}
			if (retrieved === null) {
				// No hash was checked for these; pay the same scrypt cost so response time does not
				// tell an unknown or locked account from a wrong password.
				await scrypt.verify(DUMMY_HASH, password);
				throw invalidCredentials();
			}
			return { userId: retrieved.user._id };
		},
		crypto: {
			hashSecret: (password) => scrypt.hash(password),
			verifySecret: (password, hash) => scrypt.verify(hash, password)
		}
	});
}

async function accountExists(ctx: ActionCtx, email: string): Promise<boolean> {
	try {
		// Without a secret, retrieveAccount neither verifies nor touches the failed-attempt counter.
		await retrieveAccount(ctx, { provider: PROVIDER, account: { id: email } });
		return true;
	} catch (e) {
		if (reasonOf(e) === NO_ACCOUNT) return false;
		throw e;
	}
}

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
	providers: [EmailPassword()],
	// The library's spelling. Stated here so the lockout does not depend on a library default.
	signIn: { maxFailedAttempsPerHour: MAX_FAILED_SIGN_INS_PER_HOUR },
	jwt: {
		// The JWT lifetime can be shortened per deployment (tests use seconds) without a code change.
		durationMs: Number(process.env.AUTH_JWT_DURATION_MS) || undefined,
		// email and name ride in the signed JWT so the SvelteKit server can fill `locals.user`
		// from a local signature check, with no backend round-trip per request.
		customClaims: async (ctx, { userId }) => {
			const user = await ctx.db.get(userId);
			return { email: user?.email, name: user?.name };
		}
	}
});

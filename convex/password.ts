import { ConvexCredentials } from '@convex-dev/auth/providers/ConvexCredentials';
import { createAccount, retrieveAccount } from '@convex-dev/auth/server';
import { ConvexError, type Value } from 'convex/values';
import { Scrypt } from 'lucia';
import { internal } from './_generated/api';
import type { DataModel, Doc } from './_generated/dataModel';
import type { ActionCtx } from './_generated/server';
import { hasInvisibleCharacters, normalizeEmail } from './email';
import { requireServer } from './gate';
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from './limits';

const PROVIDER = 'password';
/** What the server may say a client's address is: an IPv4 or IPv6 address fits easily. */
const CLIENT_IP_MAX = 64;

// The same hashing Convex Auth's own Password provider uses, so existing hashes keep verifying.
const scrypt = new Scrypt();

// A Scrypt hash of a random string nobody knows. Verifying a password against it costs exactly
// what verifying against a real account's hash costs, and it never matches.
const DUMMY_HASH =
	'fcd4732c9db70a9630cbc874e359f21a:bf1ce89f4399a9589cddc30d6a12605a92f39ff59d567ad60ba5338b2660e2401a1c3baa3a3ae3aa1f0e572d63ec0e8e116e89c78f6065b95c0079680aa78e18';

// What `retrieveAccount` throws (as `new Error(reason)`) when it finds no account.
const NO_ACCOUNT = 'InvalidAccountId';

type Params = Partial<Record<string, Value | undefined>>;
type Profile = { email: string; name?: string };

function profileFrom(params: Params): Profile {
	const email = normalizeEmail(String(params.email ?? ''));
	if (!isEmail(email) || email.length > EMAIL_MAX || hasInvisibleCharacters(email)) {
		throw new ConvexError({ code: 'INVALID_EMAIL' });
	}
	const name = String(params.name ?? '')
		.trim()
		.slice(0, NAME_MAX);
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

/** The client address the app's server saw; only a caller that passed the gate can name it. */
function clientIpFrom(params: Params): string {
	const ip = params.clientIp;
	if (typeof ip !== 'string' || !ip || ip.length > CLIENT_IP_MAX) {
		throw new ConvexError({ code: 'INVALID_CLIENT_IP' });
	}
	return ip;
}

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
			if (flow !== 'signUp' && flow !== 'signIn') throw new ConvexError({ code: 'INVALID_FLOW' });
			const ip = clientIpFrom(params);
			const password = passwordFrom(params, flow);
			const profile = profileFrom(params);
			const { retryAfter, locked } = await ctx.runMutation(internal.abuse.begin, {
				flow,
				ip,
				email: profile.email
			});
			if (retryAfter > 0) throw new ConvexError({ code: 'RATE_LIMITED', retryAfter });
			if (flow === 'signUp') return { userId: await signUp(ctx, profile, password) };

			const found = await findAccount(ctx, profile.email);
			// One hash checked on every path (a never-matching one for an unknown account), and a
			// failure counted on every refusal: the three refusals cost the same time and calls.
			const matches = await scrypt.verify(found?.account.secret ?? DUMMY_HASH, password);
			if (locked || found === null || !matches) {
				await ctx.runMutation(internal.abuse.failed, { ip, email: profile.email });
				throw invalidCredentials();
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

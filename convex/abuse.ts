// Per-IP and per-account limits on password flows, in the rate-limiter component: one transactional
// budget for every app instance. The numbers come from convex/limits.ts.
import { HOUR, MINUTE, RateLimiter } from '@convex-dev/rate-limiter';
import { v } from 'convex/values';
import { components } from './_generated/api';
import { type MutationCtx, internalMutation } from './_generated/server';
import { authLimit, type AuthLimit } from './limits';

const limiter = new RateLimiter(components.rateLimiter);

/** `perPeriod` at once, then refilled steadily: after a burst, one more every period / perPeriod. */
function bucket(name: AuthLimit, period: number) {
	const rate = authLimit(name);
	return { kind: 'token bucket', rate, period, capacity: rate } as const;
}

const config = {
	signIn: () => bucket('AUTH_SIGN_IN_PER_IP_PER_MINUTE', MINUTE),
	signUp: () => bucket('AUTH_SIGN_UP_PER_IP_PER_HOUR', HOUR),
	failedHere: () => bucket('AUTH_FAILED_PER_ACCOUNT_AND_IP_PER_HOUR', HOUR),
	failed: () => bucket('AUTH_FAILED_PER_ACCOUNT_PER_HOUR', HOUR),
	codesHere: () => bucket('AUTH_CODES_PER_IP_PER_HOUR', HOUR),
	codes: () => bucket('AUTH_CODES_PER_ACCOUNT_PER_HOUR', HOUR)
};

// Emails hold no whitespace (isEmail), so the pair key is unambiguous.
const pair = (email: string, ip: string) => `${email} ${ip}`;

/**
 * Takes one attempt from the client IP's budget for the flow. Signing in, also says whether the
 * account is locked for this IP: its failures from this IP, or from everywhere, are spent.
 * `retryAfter`: seconds until the IP may try again, 0 when this attempt may go ahead.
 */
export const begin = internalMutation({
	args: {
		flow: v.union(v.literal('signIn'), v.literal('signUp')),
		ip: v.string(),
		email: v.string()
	},
	handler: async (ctx, { flow, ip, email }) => {
		const attempt = await limiter.limit(ctx, flow, { key: ip, config: config[flow]() });
		if (!attempt.ok) return { retryAfter: Math.ceil(attempt.retryAfter / 1000), locked: false };
		if (flow === 'signUp') return { retryAfter: 0, locked: false };
		const [here, everywhere] = await Promise.all([
			limiter.check(ctx, 'failedHere', { key: pair(email, ip), config: config.failedHere() }),
			limiter.check(ctx, 'failed', { key: email, config: config.failed() })
		]);
		return { retryAfter: 0, locked: !here.ok || !everywhere.ok };
	}
});

/**
 * Counts a failed password (or an attempt on an unknown or locked account, which must cost the same)
 * against the account from this IP and against the account overall. Already spent stays spent.
 */
export const failed = internalMutation({
	args: { ip: v.string(), email: v.string() },
	handler: async (ctx, { ip, email }) => {
		await limiter.limit(ctx, 'failedHere', { key: pair(email, ip), config: config.failedHere() });
		await limiter.limit(ctx, 'failed', { key: email, config: config.failed() });
	}
});

/**
 * Takes one emailed code from the client IP's budget and then from the address's, whether or not
 * the address has an account (so a spent budget tells nothing). `retryAfter`: seconds until the IP
 * may ask again, 0 when it may; `accountSpent`: no more mail to this address for now.
 */
export async function limitCodeRequest(ctx: MutationCtx, ip: string, email: string) {
	const here = await limiter.limit(ctx, 'codesHere', { key: ip, config: config.codesHere() });
	if (!here.ok) return { retryAfter: Math.ceil(here.retryAfter / 1000), accountSpent: true };
	const account = await limiter.limit(ctx, 'codes', { key: email, config: config.codes() });
	return { retryAfter: 0, accountSpent: !account.ok };
}

// Input bounds shared by the Convex functions and the SvelteKit forms, so both reject the same input.
export const EMAIL_MAX = 254;
/** A display name given at sign-up (optional). */
export const NAME_MAX = 80;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NOTE_MAX = 500;
/**
 * What the forms keep of an emailed code as typed, spaces taken out: room for a pasted line, far
 * past the code itself. A form bound only: the deployment takes exactly CODE_DIGITS digits
 * (convex/codes.ts) and lets anything else count as a wrong try.
 */
export const CODE_INPUT_MAX = 32;
/** Each field of a session's description (browser, operating system, network hint). */
export const SESSION_TEXT_MAX = 64;

export function isEmail(value: string): boolean {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/**
 * Abuse limits on password and recovery flows, enforced in Convex (convex/abuse.ts) so every app instance draws
 * on one budget. Each is overridable by the deployment env var of the same name.
 */
export const AUTH_LIMITS = {
	/** Sign-in attempts per client IP, whatever the outcome (a burst of this size, then a steady rate). */
	AUTH_SIGN_IN_PER_IP_PER_MINUTE: 10,
	/** Sign-up attempts per client IP. */
	AUTH_SIGN_UP_PER_IP_PER_HOUR: 20,
	/** Failed passwords for one account from one IP: an attacker's failures do not lock the owner out elsewhere. */
	AUTH_FAILED_PER_ACCOUNT_AND_IP_PER_HOUR: 10,
	/** Failed passwords for one account from all IPs together: the ceiling for an attacker spread over many. */
	AUTH_FAILED_PER_ACCOUNT_PER_HOUR: 100,
	/** Emailed codes (password reset, email verification) asked for from one client IP. */
	AUTH_CODES_PER_IP_PER_HOUR: 20,
	/** Emailed codes sent to one address: with the few tries each code allows, this bounds guessing. */
	AUTH_CODES_PER_ACCOUNT_PER_HOUR: 5
} as const;
export type AuthLimit = keyof typeof AUTH_LIMITS;

/** The limit in force: the deployment's env var when set, else the default above. */
export function authLimit(
	name: AuthLimit,
	env: Record<string, string | undefined> = process.env
): number {
	const raw = env[name];
	if (!raw) return AUTH_LIMITS[name];
	const n = Number(raw);
	if (!Number.isSafeInteger(n) || n < 1) {
		throw new Error(`${name} must be a positive whole number, got "${raw}"`);
	}
	return n;
}

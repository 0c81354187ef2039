// What the password flows read from their params, checked the same way in every flow, and how
// passwords are hashed.
import { ConvexError, type Value } from 'convex/values';
import { Scrypt } from 'lucia';
import { hasInvisibleCharacters, normalizeEmail } from './email';
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from './limits';

/** What the server may say a client's address is: an IPv4 or IPv6 address fits easily. */
const CLIENT_IP_MAX = 64;

// The same hashing Convex Auth's own Password provider uses, so existing hashes keep verifying.
export const scrypt = new Scrypt();

// A Scrypt hash of a random string nobody knows. Verifying a password against it costs exactly
// what verifying against a real account's hash costs, and it never matches.
export const DUMMY_HASH =
	'fcd4732c9db70a9630cbc874e359f21a:bf1ce89f4399a9589cddc30d6a12605a92f39ff59d567ad60ba5338b2660e2401a1c3baa3a3ae3aa1f0e572d63ec0e8e116e89c78f6065b95c0079680aa78e18';

export type Params = Partial<Record<string, Value | undefined>>;
export type Profile = { email: string; name?: string };

/** The address as stored (convex/email.ts), or INVALID_EMAIL. */
export function emailFrom(value: unknown): string {
	const email = normalizeEmail(String(value ?? ''));
	if (!isEmail(email) || email.length > EMAIL_MAX || hasInvisibleCharacters(email)) {
		throw new ConvexError({ code: 'INVALID_EMAIL' });
	}
	return email;
}

export function profileFrom(params: Params): Profile {
	const email = emailFrom(params.email);
	const name = String(params.name ?? '')
		.trim()
		.slice(0, NAME_MAX);
	return name ? { email, name } : { email };
}

/**
 * A password to check (`signIn`: any string, so an account made under older bounds still signs in
 * and one outside today's simply fails) or to set (`new`: within today's bounds).
 */
export function passwordFrom(value: unknown, use: 'signIn' | 'new'): string {
	if (typeof value !== 'string') throw new ConvexError({ code: 'INVALID_PASSWORD' });
	if (use === 'new' && (value.length < PASSWORD_MIN || value.length > PASSWORD_MAX)) {
		throw new ConvexError({ code: 'INVALID_PASSWORD' });
	}
	return value;
}

/** The client address the app's server saw; only a caller that passed the gate can name it. */
export function clientIpFrom(value: unknown): string {
	if (typeof value !== 'string' || !value || value.length > CLIENT_IP_MAX) {
		throw new ConvexError({ code: 'INVALID_CLIENT_IP' });
	}
	return value;
}

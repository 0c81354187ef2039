import { ConvexError } from 'convex/values';

/** Shorter is a setup mistake (newServerSecret makes 64 characters), never accepted. */
export const SERVER_SECRET_MIN = 32;

/** A fresh secret for AUTH_SERVER_SECRET: 32 random bytes as hex, safe in any env file or shell. */
export function newServerSecret(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(32));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Password flows run only for this app's server: the caller must present the secret it shares
 * with this deployment (`AUTH_SERVER_SECRET`), or while rotating, the one it replaces
 * (`AUTH_SERVER_SECRET_PREVIOUS`). Without a configured secret nothing passes: a deployment that
 * lacks it is closed, never open.
 */
export async function requireServer(given: unknown): Promise<void> {
	const current = process.env.AUTH_SERVER_SECRET ?? '';
	if (current.length < SERVER_SECRET_MIN) {
		throw new ConvexError({ code: 'SERVER_SECRET_NOT_CONFIGURED' });
	}
	const previous = process.env.AUTH_SERVER_SECRET_PREVIOUS ?? '';
	const candidates = previous.length >= SERVER_SECRET_MIN ? [current, previous] : [current];
	let matched = false;
	// Both compared every time: which one matched must not show in the time taken.
	for (const secret of candidates) matched = (await sameSecret(given, secret)) || matched;
	if (!matched) throw new ConvexError({ code: 'SERVER_ONLY' });
}

/**
 * Compares SHA-256 digests over every byte: the time taken tells neither how much of the secret
 * a guess got right nor how long the secret is.
 */
async function sameSecret(given: unknown, secret: string): Promise<boolean> {
	const [a, b] = await Promise.all([
		sha256(typeof given === 'string' ? given : ''),
		sha256(secret)
	]);
	return sameDigest(a, b) && typeof given === 'string';
}

// The digest helpers live here, not in a module of their own: this file must import nothing
// relative, as the offline backend loads it (for newServerSecret) under plain Node.

export async function sha256(text: string): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * Whether two digests are equal, looking at every byte whatever the first difference: the time
 * taken tells a guesser nothing about how close the guess came.
 */
export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
	let difference = a.length ^ b.length;
	for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
	return difference === 0;
}

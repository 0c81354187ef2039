// Input bounds shared by the Convex functions and the SvelteKit forms, so both reject the same input.
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const NOTE_MAX = 500;
/** Each field of a session's description (browser, operating system, network hint). */
export const SESSION_TEXT_MAX = 64;

export function isEmail(value: string): boolean {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

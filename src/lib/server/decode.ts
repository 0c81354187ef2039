/**
 * `value` percent-decoded until it stops changing (at most 3 rounds), or null if it is malformed.
 * Checks run on this form, so `%2F`, `%252F` and `/` are all seen as the slash they may become.
 */
export function fullyDecode(value: string): string | null {
	let decoded = value;
	for (let i = 0; i < 3; i++) {
		try {
			const next = decodeURIComponent(decoded);
			if (next === decoded) return decoded;
			decoded = next;
		} catch {
			return null;
		}
	}
	return decoded;
}

/** Backslashes (which browsers and some servers read as `/`) and control characters. */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\\\u0000-\u001f\u007f]/;

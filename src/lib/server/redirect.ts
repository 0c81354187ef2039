import { START } from '../app.ts';
import { UNSAFE_CHARS, fullyDecode } from './decode.ts';

const BASE = 'http://same-origin.invalid';

/**
 * `value` as a path on this site, or `fallback`. Rejects anything a browser could resolve to another
 * origin: `//evil`, `/\evil`, `https://evil`, control characters, and their encoded forms.
 */
export function safeRedirectPath(
	value: string | null | undefined,
	fallback = `/${START.path}`
): string {
	if (!value || value.length > 2048 || !value.startsWith('/')) return fallback;
	const decoded = fullyDecode(value);
	if (decoded === null || UNSAFE_CHARS.test(decoded) || decoded.startsWith('//')) return fallback;
	const url = new URL(value, BASE);
	// Dot segments can collapse into `//` during parsing (`/.//evil`, `/a/../..//evil`).
	const path = url.pathname + url.search + url.hash;
	if (url.origin !== BASE || path.startsWith('//')) return fallback;
	return path;
}

/** The login page URL that returns to `url` after signing in. */
export function loginUrl(url: URL): string {
	const back = url.pathname + url.search;
	return back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
}

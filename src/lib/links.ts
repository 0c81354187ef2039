/**
 * A link to `url` (path and query) that a browser resolves on this origin. A path may start with
 * `//` (`GET //evil.example/x` asks for the path `//evil.example/x`), but an href starting with `//`
 * names another host; `/.` in front keeps the very same path, since the browser drops the dot
 * segment only after settling the origin.
 */
export function sameOriginHref(url: Pick<URL, 'pathname' | 'search'>): string {
	const path = url.pathname + url.search;
	return /^\/[/\\]/.test(path) ? `/.${path}` : path;
}

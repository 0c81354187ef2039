/**
 * A link to `url` (path and query) that a browser resolves on this origin. A path may start with
 * `//` (`GET //evil.example/x` is a valid request for the path `//evil.example/x`), and as an href that
 * names another host; `/.` in front keeps the very same path, since the dot segment is dropped only
 * after the origin is settled.
 */
export function sameOriginHref(url: URL): string {
	const path = url.pathname + url.search;
	return /^\/[/\\]/.test(path) ? `/.${path}` : path;
}

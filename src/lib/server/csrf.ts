const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may change state on behalf of the cookie's owner. Safe methods always may (no
 * GET handler changes anything). Otherwise the browser must say where the request comes from — an
 * exact Origin match against this app or an allow-listed origin, or, without Origin,
 * `Sec-Fetch-Site: same-origin` — whatever the content type. SvelteKit's own check covers only
 * form content types, so a cross-site `fetch` with JSON would otherwise reach /api and /live.
 */
export function isAllowedOrigin(
	request: Request,
	appOrigin: string,
	trusted: readonly string[]
): boolean {
	if (SAFE_METHODS.has(request.method)) return true;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin === appOrigin || trusted.includes(origin);
	return request.headers.get('sec-fetch-site') === 'same-origin';
}

/**
 * For reads that carry the user's data on a long-lived channel (the /live stream): a browser
 * marks cross-site requests with `Sec-Fetch-Site` and, for CORS-mode ones such as EventSource,
 * `Origin`. Either one naming another site refuses the request.
 */
export function isSameOriginRead(
	request: Request,
	appOrigin: string,
	trusted: readonly string[]
): boolean {
	const site = request.headers.get('sec-fetch-site');
	if (site !== null && site !== 'same-origin' && site !== 'none') return false;
	const origin = request.headers.get('origin');
	return origin === null || origin === appOrigin || trusted.includes(origin);
}

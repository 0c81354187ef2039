// Which Bearer token a backend origin gets, and how a server-side `fetch` carries it there.
type Caller = Pick<App.Locals, 'user' | 'token'>;
type Mint = (holder: { token: string; userId: string }, audience: string) => Promise<string>;

/**
 * The user's Convex JWT, as the allowlist promises, or, for an origin configured as scoped, a
 * token minted for that origin alone. A scoped origin never receives the Convex JWT: it could
 * replay it against Convex and act as the user there.
 */
export function createBearerFor(scoped: { origins: ReadonlySet<string>; mint: Mint | null }) {
	return async function bearerFor(origin: string, caller: Caller): Promise<string | null> {
		if (!caller.token || !caller.user) return null;
		if (!scoped.origins.has(origin)) return caller.token;
		if (!scoped.mint) throw new Error(`${origin} is scoped, but no key to sign its tokens`);
		return scoped.mint({ token: caller.token, userId: caller.user.id }, origin);
	};
}

export type BearerFor = ReturnType<typeof createBearerFor>;

/**
 * A request to an allow-listed backend origin, carrying `token` and never the browser's cookies;
 * a request anywhere else exactly as it was.
 */
export function withBearer(
	request: Request,
	token: string | null,
	backends: ReadonlySet<string>
): Request {
	if (!backends.has(new URL(request.url).origin)) return request;
	const headers = new Headers(request.headers);
	headers.delete('cookie');
	if (token) headers.set('authorization', `Bearer ${token}`);
	else headers.delete('authorization');
	// 'omit': SvelteKit's fetch would otherwise add the cookies back for subdomains of the app's host.
	return new Request(request, { headers, credentials: 'omit' });
}

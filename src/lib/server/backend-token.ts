type Session = Pick<App.Locals, 'user' | 'token'>;
type Mint = (session: { token: string; userId: string }, audience: string) => Promise<string>;

/**
 * Which Bearer token a backend origin gets: the user's Convex JWT, as the allowlist promises, or, for
 * an origin configured as scoped, a token minted for that origin alone. A scoped origin never
 * receives the Convex JWT: it could replay it against Convex and act as the user there.
 */
export function createBearerFor(scoped: { origins: ReadonlySet<string>; mint: Mint | null }) {
	return async function bearerFor(origin: string, locals: Session): Promise<string | null> {
		if (!locals.token || !locals.user) return null;
		if (!scoped.origins.has(origin)) return locals.token;
		if (!scoped.mint) throw new Error(`${origin} is scoped, but no key to sign its tokens`);
		return scoped.mint({ token: locals.token, userId: locals.user.id }, origin);
	};
}

export type BearerFor = ReturnType<typeof createBearerFor>;

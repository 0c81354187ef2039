// Helpers for the REST routes of convex/http.ts.
import { ConvexError } from 'convex/values';

export function problem(status: number, message: string) {
	return Response.json({ message }, { status });
}

/** Runs `fn` as the Bearer token's user; an anonymous or revoked caller gets 401, not a 500. */
export async function asUser(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		const code = e instanceof ConvexError ? (e.data as { code?: string }).code : undefined;
		if (code === 'UNAUTHENTICATED') return problem(401, 'Authorization: Bearer <token> required');
		throw e;
	}
}

import { httpRouter } from 'convex/server';
import { ConvexError } from 'convex/values';
import { api } from './_generated/api';
import { httpAction } from './_generated/server';
import { auth } from './auth';
import { addNoteRoutes } from './noteRoutes';
import { asUser, problem } from './rest';

const http = httpRouter();

// /.well-known/openid-configuration, /.well-known/jwks.json and the OAuth callback routes.
auth.addHttpRoutes(http);

// The signed-in user as REST: `GET /me`, and `POST /me` with `{ "name": "…" }` to rename.
http.route({
	path: '/me',
	method: 'GET',
	handler: httpAction((ctx) => asUser(async () => Response.json(await ctx.runQuery(api.users.me))))
});

http.route({
	path: '/me',
	method: 'POST',
	handler: httpAction((ctx, request) =>
		asUser(async () => {
			const body: unknown = await request.json().catch(() => null);
			const name = (body as { name?: unknown } | null)?.name;
			if (typeof name !== 'string') return problem(400, 'Expected JSON { "name": string }');
			try {
				await ctx.runMutation(api.users.rename, { name });
			} catch (e) {
				const data = e instanceof ConvexError ? (e.data as { code?: string; max?: number }) : null;
				if (data?.code === 'TOO_LONG') return problem(400, `Names are limited to ${data.max}`);
				throw e;
			}
			return Response.json(await ctx.runQuery(api.users.me));
		})
	)
});

// The notes sample's routes: /notes/export and /notes/import.
addNoteRoutes(http);

export default http;

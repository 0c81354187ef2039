import { finishOAuth, providerParam } from '#lib/server/oauth.ts';
import type { RequestHandler } from './$types';

/** Where the deployment sends the browser back with its one-time code. */
export const GET = ((event) =>
	finishOAuth(event, providerParam(event.params.provider))) satisfies RequestHandler;

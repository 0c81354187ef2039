import { providerParam, startOAuth } from '#lib/server/oauth.ts';
import type { RequestHandler } from './$types';

/** "Continue with …": a plain form post, so it works without JavaScript. */
export const POST = ((event) =>
	startOAuth(event, providerParam(event.params.provider))) satisfies RequestHandler;

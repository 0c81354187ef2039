import { ConvexHttpClient } from 'convex/browser';
import { api } from '#convex/_generated/api.js';
import { config } from './config.ts';
import { createRefresher, type RefreshResult } from './refresh.ts';
import { createVerifier } from './tokens.ts';

/** The process-wide verifier: one cached JWKS and one cache of verified tokens. */
export const verify = createVerifier({ issuer: config.convexSiteUrl });

async function refreshCall(refreshToken: string): Promise<RefreshResult> {
	let functionFailed = false;
	const client = new ConvexHttpClient(config.convexUrl, {
		skipConvexDeploymentUrlCheck: true,
		logger: false,
		fetch: async (input, init) => {
			const response = await fetch(input, { ...init, signal: AbortSignal.timeout(10_000) });
			functionFailed = response.status === 560;
			return response;
		}
	});
	try {
		const result = await client.action(api.auth.signIn, { refreshToken });
		return result.tokens ? { status: 'refreshed', tokens: result.tokens } : { status: 'refused' };
	} catch {
		// 560 means Convex Auth ran and rejected the token (e.g. malformed). Anything else — network
		// error, timeout, 5xx — tells us nothing about the token, so the session is kept.
		return functionFailed ? { status: 'refused' } : { status: 'unavailable' };
	}
}

/** Single-flight refresh shared by every request in this process. */
export const refresh = createRefresher(refreshCall);

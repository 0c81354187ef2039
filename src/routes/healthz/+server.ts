import { json } from '@sveltejs/kit';
import { backendReachable } from '#lib/server/health.ts';
import { NO_STORE } from '#lib/server/security-headers.ts';
import type { RequestHandler } from './$types';

/** For load balancers and monitors: says whether this instance can serve, and nothing else. */
export const GET: RequestHandler = async () => {
	const reachable = await backendReachable();
	return json(
		{ status: reachable ? 'ok' : 'backend unreachable' },
		{ status: reachable ? 200 : 503, headers: { 'cache-control': NO_STORE } }
	);
};

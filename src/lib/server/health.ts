import { api } from '#convex/_generated/api.js';
import { createClient } from './convex.ts';

/** However often the balancer (or anyone) asks, the backend is asked at most once per this period. */
const PROBE_EVERY_MS = 1000;

let last: { at: number; reachable: Promise<boolean> } | null = null;

/** Whether the Convex backend answers an anonymous query, probed at most once a second. */
export function backendReachable(now = Date.now()): Promise<boolean> {
	if (last && now - last.at < PROBE_EVERY_MS) return last.reachable;
	last = { at: now, reachable: probe() };
	return last.reachable;
}

async function probe(): Promise<boolean> {
	try {
		await createClient(null).query(api.auth.isAuthenticated, {});
		return true;
	} catch {
		return false;
	}
}

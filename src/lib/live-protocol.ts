// The wire format of /live, shared by the server relay and the browser helper. A stream is
// self-describing: its URL carries the whole subscription set, so any instance can serve it.
import type { JSONValue } from 'convex/values';

/** One live query: a Convex function name (`notes:list`) and its args, Convex-JSON encoded. */
export type Subscription = [name: string, args: JSONValue];

export const LIVE_PATH = '/live';
export const MAX_QUERIES_PER_STREAM = 20;

/** Server → browser events. `q` is the query's index in the stream's subscription list. */
export type LiveEvent =
	| { type: 'update'; q: number; value: JSONValue }
	| { type: 'error'; q: number; message: string; data?: JSONValue }
	/** The session's JWT is about to expire: reopen the stream so the request refreshes it. */
	| { type: 'reauth' }
	/** The session is over (logout, revoked, expired): stop and show the signed-out state. */
	| { type: 'signed-out' };

export function encodeSubscriptions(subs: Subscription[]): string {
	return JSON.stringify(subs);
}

/** Parses `?q=`; null when it is not a list of [string, object] pairs within the limits. */
export function decodeSubscriptions(raw: string | null): Subscription[] | null {
	if (!raw || raw.length > 8192) return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return null;
	}
	if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > MAX_QUERIES_PER_STREAM)
		return null;
	const valid = parsed.every(
		(s) =>
			Array.isArray(s) &&
			s.length === 2 &&
			typeof s[0] === 'string' &&
			typeof s[1] === 'object' &&
			s[1] !== null &&
			!Array.isArray(s[1])
	);
	return valid ? (parsed as Subscription[]) : null;
}

/** One Server-Sent Events frame. */
export function sseFrame(event: LiveEvent): string {
	return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

import { convexToJson, type JSONValue } from 'convex/values';
import type { CallResult } from './call-result.ts';
import { encodeTs } from './clock.ts';

// The sync protocol's wire shapes, as convex/browser/sync/protocol.ts defines them.

export type Version = { querySet: number; identity: number; ts: bigint };

type Call = { requestId: number; udfPath: string; args: JSONValue[] };
export type QueryChange =
	| { type: 'Add'; queryId: number; udfPath: string; args: JSONValue[] }
	| { type: 'Remove'; queryId: number };
export type ClientMessage =
	| { type: 'Connect'; sessionId: string; maxObservedTimestamp?: string }
	| { type: 'ModifyQuerySet'; newVersion: number; modifications: QueryChange[] }
	| { type: 'Authenticate'; baseVersion: number; tokenType: string; value?: string }
	| ({ type: 'Mutation' } & Call)
	| ({ type: 'Action' } & Call)
	| { type: 'Event' };

/** A message the client should never have sent; the connection ends with a FatalError. */
export class ProtocolError extends Error {}

/** Checks just the fields the emulator reads; the rest of a message passes through unread. */
export function parseClientMessage(text: string): ClientMessage {
	let m: Record<string, unknown>;
	try {
		m = JSON.parse(text) as Record<string, unknown>;
	} catch {
		throw new ProtocolError('Received Invalid JSON on websocket');
	}
	const ok = (() => {
		switch (m?.type) {
			case 'Connect':
				return typeof m.sessionId === 'string';
			case 'ModifyQuerySet':
				return (
					Number.isInteger(m.newVersion) &&
					Array.isArray(m.modifications) &&
					m.modifications.every(isQueryChange)
				);
			case 'Authenticate':
				return Number.isInteger(m.baseVersion) && typeof m.tokenType === 'string';
			case 'Mutation':
			case 'Action':
				return (
					Number.isInteger(m.requestId) && typeof m.udfPath === 'string' && Array.isArray(m.args)
				);
			case 'Event':
				return true;
			default:
				return false;
		}
	})();
	if (!ok) throw new ProtocolError(`Invalid client message: ${text.slice(0, 200)}`);
	return m as ClientMessage;
}

function isQueryChange(c: unknown): boolean {
	const change = c as Record<string, unknown> | null;
	if (!Number.isInteger(change?.queryId)) return false;
	return (
		change?.type === 'Remove' ||
		(change?.type === 'Add' && typeof change.udfPath === 'string' && Array.isArray(change.args))
	);
}

export function wireVersion(version: Version) {
	return { querySet: version.querySet, identity: version.identity, ts: encodeTs(version.ts) };
}

type Failure = Extract<CallResult, { status: 'error' }>;

/** A subscribed query's result as a Transition modification. */
export function queryModification(queryId: number, result: CallResult) {
	if (result.status === 'success') {
		const value = convexToJson(result.value);
		return { type: 'QueryUpdated', queryId, value, logLines: [], journal: null };
	}
	const { errorMessage, errorData } = result;
	const data = errorData === undefined ? {} : { errorData };
	return { type: 'QueryFailed', queryId, errorMessage, ...data, logLines: [], journal: null };
}

/** MutationResponse / ActionResponse; a mutation's success carries the ts its writes are at. */
export function response(
	type: 'MutationResponse' | 'ActionResponse',
	requestId: number,
	result: CallResult,
	ts?: bigint
) {
	if (result.status === 'error') return { type, requestId, success: false, ...failure(result) };
	const value = convexToJson(result.value);
	const stamp = ts === undefined ? {} : { ts: encodeTs(ts) };
	return { type, requestId, success: true, result: value, ...stamp, logLines: [] };
}

/** Failures carry the message as `result`, and errorData only for a ConvexError. */
function failure({ errorMessage, errorData }: Failure) {
	const data = errorData === undefined ? {} : { errorData };
	return { result: errorMessage, ...data, logLines: [] };
}

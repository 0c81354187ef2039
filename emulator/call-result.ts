import type { JSONValue, Value } from 'convex/values';

/** A function's outcome as every transport reports it; errorData only for a ConvexError. */
export type CallResult =
	| { status: 'success'; value: Value }
	| { status: 'error'; errorMessage: string; errorData?: JSONValue };

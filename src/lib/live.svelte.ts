// Live Convex queries in the browser without a token, shaped like convex-svelte's useQuery.
import {
	getFunctionName,
	type FunctionArgs,
	type FunctionReference,
	type FunctionReturnType
} from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { subscribe } from './live-connection.ts';
import type { Subscription } from './live-protocol.ts';

export type LiveQuery<T> = {
	readonly data: T | undefined;
	readonly error: Error | null;
	readonly isLoading: boolean;
};

/**
 * A live query, reactive: `live(api.notes.list, {}, { initial: () => data.notes })`. Starts from
 * the server-rendered value (no flash), then follows updates after hydration. `args` may be a
 * function, so that a change of args swaps the subscription. `initial` may be one too, read once:
 * a prop read inside it is not read at the top of the component, which Svelte warns about (the
 * live value, not the prop, is what follows changes). Call it during component initialisation.
 */
export function live<Query extends FunctionReference<'query'>>(
	query: Query,
	args: FunctionArgs<Query> | (() => FunctionArgs<Query>),
	opts: { initial?: FunctionReturnType<Query> | (() => FunctionReturnType<Query>) } = {}
): LiveQuery<FunctionReturnType<Query>> {
	// Convex values are never functions, so a function is always the thunk.
	const given = opts.initial as unknown;
	const initial = (typeof given === 'function' ? given() : given) as
		FunctionReturnType<Query> | undefined;
	let data = $state<FunctionReturnType<Query> | undefined>(initial);
	let error = $state<Error | null>(null);
	let isLoading = $state(initial === undefined);

	let previous: string | null = null;
	$effect(() => {
		const value = typeof args === 'function' ? (args as () => FunctionArgs<Query>)() : args;
		const sub: Subscription = [getFunctionName(query), convexToJson(value as Value) as JSONValue];
		const key = JSON.stringify(sub);
		// New args: the old result no longer answers the question until the new one arrives.
		if (previous !== null && previous !== key) isLoading = true;
		previous = key;
		return subscribe(sub, (message) => {
			if (message.type === 'update') {
				data = jsonToConvex(message.value) as FunctionReturnType<Query>;
				error = null;
			} else error = new Error(message.message);
			isLoading = false;
		});
	});

	return {
		get data() {
			return data;
		},
		get error() {
			return error;
		},
		get isLoading() {
			return isLoading;
		}
	};
}

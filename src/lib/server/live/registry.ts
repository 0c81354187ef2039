import { getFunctionName, type FunctionReference } from 'convex/server';
import { api } from '#convex/_generated/api.js';

type ArgsCheck = (args: Record<string, unknown>) => boolean;

const noArgs: ArgsCheck = (args) => Object.keys(args).length === 0;

/**
 * The queries browsers may subscribe to through /live — nothing else is served. Each entry checks
 * the args before they reach Convex (which validates them again).
 */
const allowed = new Map<string, ArgsCheck>([
	live(api.notes.list, noArgs),
	live(api.users.me, noArgs)
]);

function live(query: FunctionReference<'query'>, check: ArgsCheck): [string, ArgsCheck] {
	return [getFunctionName(query), check];
}

export function isLiveReadable(name: string, args: Record<string, unknown>): boolean {
	const check = allowed.get(name);
	return check !== undefined && check(args);
}

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

const REGISTRY = 'src/lib/server/live/registry.ts';

/**
 * Why a subscription was refused. In development it names the function and the file to edit, since
 * a query missing here otherwise looks like a page that never updates; in production only the 403
 * answers, with no detail about what is served.
 */
export function refusal(name: string, detailed: boolean): string {
	return detailed
		? `${name} is not live-readable: add it to the allowlist in ${REGISTRY}`
		: 'Not live-readable';
}

export function isLiveReadable(name: string, args: Record<string, unknown>): boolean {
	const check = allowed.get(name);
	return check !== undefined && check(args);
}

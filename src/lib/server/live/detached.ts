import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Long-lived things created inside a request — a stream's state, a timer, an upstream socket —
 * keep that request's async context, and through it SvelteKit's request store: the RequestEvent,
 * its Request, URL, cookies and the whole handle chain, for as long as the stream stays open.
 * The relay creates them in the context the server started in instead, captured once by
 * `keepStartContext` (the `init` hook in hooks.server.ts), before any request.
 */
let startContext: (<R>(fn: () => R) => R) | null = null;

export function keepStartContext() {
	startContext ??= AsyncLocalStorage.snapshot();
}

/** Runs `fn` outside the calling request's async context (as is, until the server has started). */
export function detached<R>(fn: () => R): R {
	return startContext ? startContext(fn) : fn();
}

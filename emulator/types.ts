// What startEmulator takes and gives (emulator.ts).

export type EmulatorOptions = {
	/** Deployment URL port (HTTP API + WebSocket); 0 picks a free one (the default). */
	port?: number;
	/** Site URL port (HTTP actions); 0 picks a free one (the default). */
	sitePort?: number;
	/** A loopback address (the default 127.0.0.1): the emulator serves one machine only. */
	host?: string;
	/**
	 * Failures carry their message and stack, as on a dev deployment. Off by default: clients
	 * get `[Request ID: …] Server Error` for anything but a ConvexError, as from production.
	 */
	devErrors?: boolean;
	/** Extra deployment env vars for the functions (e.g. AUTH_JWT_DURATION_MS); they win. */
	env?: Record<string, string>;
	/** Where the functions live; defaults to this repository's convex/. */
	convexDir?: string;
	/**
	 * A folder that keeps the signing keys and every document across runs, so sessions survive a
	 * restart (`npm run dev:offline` uses `.convex-offline/`). Without it, all is in memory.
	 */
	dataDir?: string;
};

export type Emulator = {
	url: string;
	siteUrl: string;
	/** The deployment env the functions see, generated keys included. */
	env: Record<string, string>;
	/** Stops listening and drops every connection, keeping data and keys: "backend down". */
	pause(): Promise<void>;
	/** Listens again on the same ports. */
	resume(): Promise<void>;
	/**
	 * Loads the functions again (added, changed, removed; a new schema), keeping data and sessions,
	 * as a push to a deployment does. Throws, and the previous code keeps serving, when a module
	 * fails to load (ModuleLoadError) or stored documents break the new schema (SchemaViolation).
	 */
	reload(): Promise<void>;
	close(): Promise<void>;
	/**
	 * Open sync connections, their query subscriptions, function calls by path so far, and the
	 * AuthErrors sent for expired tokens by token subject (`userId|sessionId`).
	 */
	stats(): {
		connections: number;
		subscriptions: number;
		calls: Record<string, number>;
		expiredTokens: Record<string, number>;
	};
};

import { config } from '../config.ts';
import { LiveHub } from './hub.ts';
import { convexUpstream } from './upstream.ts';

/** This process's relay: one per server instance; streams never depend on reaching a particular one. */
export const hub = new LiveHub({
	createUpstream: (token) => convexUpstream(config.convexUrl, token),
	maxStreamsPerSession: 16,
	maxStreamsPerUser: 32,
	idleMs: 30_000
});

// Once the server has stopped taking requests, the upstream sockets must not keep the process alive.
process.once('sveltekit:shutdown', () => hub.close());

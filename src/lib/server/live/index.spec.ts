import type { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const closes = vi.hoisted(() => ({ count: 0 }));
vi.mock('../config.ts', () => ({ config: { convexUrl: 'http://127.0.0.1:9' } }));
vi.mock('./upstream.ts', () => ({
	convexUpstream: () => ({
		subscribe: () => () => {},
		setToken: () => {},
		close: async () => void closes.count++
	})
}));

describe('the server’s live hub', () => {
	it('closes its streams and upstream clients once the server has shut down', async () => {
		const { hub } = await import('./index.ts');
		const hour = Date.now() + 3_600_000;
		const auth = { sessionId: 's', userId: 'u', token: 'jwt', expiresAt: hour, refreshAt: hour };
		const stream = hub.open(auth, [['notes:list', {}]]);
		// What server.ts (and adapter-node) emit once the last connection has closed.
		(process as EventEmitter).emit('sveltekit:shutdown', 'SIGTERM');
		expect(closes.count).toBe(1);
		expect((await stream.body.getReader().read()).done).toBe(true);
	});
});

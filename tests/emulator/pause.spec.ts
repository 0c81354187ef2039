import { ConvexHttpClient } from 'convex/browser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { startEmulator, type Emulator } from './emulator.ts';
import { liveClient, nextValue, signUp } from './test-helpers.ts';

let emulator: Emulator;
let user: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
	emulator = await startEmulator();
	user = await signUp(emulator.url);
});
afterAll(() => emulator?.close());

describe('a simulated backend outage', () => {
	test('while paused nothing answers; after resume the same data and keys are back on the same ports', async () => {
		const before = await user.client.query(api.users.me, {});
		await emulator.pause();
		await expect(fetch(`${emulator.url}/api/query`, { method: 'POST' })).rejects.toThrow();
		await expect(fetch(`${emulator.siteUrl}/.well-known/jwks.json`)).rejects.toThrow();
		await emulator.resume();
		const again = new ConvexHttpClient(emulator.url);
		again.setAuth(user.token);
		expect(await again.query(api.users.me, {})).toEqual(before);
	});

	test('a live client reconnects after resume, gets later updates and its queued mutation lands once', async () => {
		const live = liveClient(emulator.url);
		live.setAuth(async () => user.token);
		try {
			await nextValue(live, api.notes.list, {}, () => true);
			await emulator.pause();
			// Sent while the backend is down: the client queues it and sends it on reconnect.
			const queued = live.mutation(api.notes.create, { text: 'written during the outage' });
			await new Promise((resolve) => setTimeout(resolve, 200));
			await emulator.resume();
			await queued;
			const update = nextValue(live, api.notes.list, {}, (notes) =>
				notes.some((n) => n.text === 'after the outage')
			);
			await user.client.mutation(api.notes.create, { text: 'after the outage' });
			const notes = await update;
			expect(notes.filter((n) => n.text === 'written during the outage')).toHaveLength(1);
			expect(live.connectionState().isWebSocketConnected).toBe(true);
		} finally {
			await live.close();
		}
	});
});

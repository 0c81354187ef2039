import { ConvexHttpClient } from 'convex/browser';
import { describe, expect, test, vi } from 'vitest';
import { api } from '../convex/_generated/api';
import { liveClient, nextValue, emulatorWithUser } from './test-helpers.ts';

const env = emulatorWithUser();

describe('a simulated backend outage', () => {
	test('while paused nothing answers; after resume the same data and keys are back on the same ports', async () => {
		const before = await env.user.client.query(api.users.me, {});
		await env.emulator.pause();
		await expect(fetch(`${env.emulator.url}/api/query`, { method: 'POST' })).rejects.toThrow();
		await expect(fetch(`${env.emulator.siteUrl}/.well-known/jwks.json`)).rejects.toThrow();
		await env.emulator.resume();
		const again = new ConvexHttpClient(env.emulator.url);
		again.setAuth(env.user.token);
		expect(await again.query(api.users.me, {})).toEqual(before);
	});

	test('a live client reconnects after resume, gets later updates and its queued mutation lands once', async () => {
		const live = liveClient(env.emulator.url);
		live.setAuth(async () => env.user.token);
		try {
			await nextValue(live, api.notes.list, {}, () => true);
			await env.emulator.pause();
			await vi.waitFor(() => expect(live.connectionState().isWebSocketConnected).toBe(false));
			// Sent while the backend is down: the client queues it and sends it on reconnect.
			const queued = live.mutation(api.notes.create, { text: 'written during the outage' });
			await env.emulator.resume();
			await queued;
			const update = nextValue(live, api.notes.list, {}, (notes) =>
				notes.some((n) => n.text === 'after the outage')
			);
			await env.user.client.mutation(api.notes.create, { text: 'after the outage' });
			const notes = await update;
			expect(notes.filter((n) => n.text === 'written during the outage')).toHaveLength(1);
			expect(live.connectionState().isWebSocketConnected).toBe(true);
		} finally {
			await live.close();
		}
	});
});

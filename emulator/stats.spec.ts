import { afterAll, beforeAll, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { startEmulator, type Emulator } from './emulator.ts';
import { liveClient, nextValue, signUp } from './test-helpers.ts';

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(() => emulator.close());

test('counts function calls by path and live subscriptions per connection', async () => {
	const before = emulator.stats().calls['auth:signIn'] ?? 0;
	const { token } = await signUp(emulator.url);
	expect(emulator.stats().calls['auth:signIn']).toBe(before + 1);

	const client = liveClient(emulator.url);
	client.setAuth(async () => token);
	const subscriptions = [
		client.onUpdate(api.notes.list, {}, () => {}),
		client.onUpdate(api.users.me, {}, () => {})
	];
	await nextValue(client, api.users.me, {}, (me) => me !== null);
	await expect.poll(() => emulator.stats()).toMatchObject({ connections: 1, subscriptions: 2 });
	subscriptions.forEach((unsubscribe) => unsubscribe());
	await client.close();
	await expect.poll(() => emulator.stats().connections).toBe(0);
	expect(emulator.stats().subscriptions).toBe(0);
});

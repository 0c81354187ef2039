import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from './emulator.ts';
import { liveClient, mintToken, nextValue } from './test-helpers.ts';

// A small deployment of its own, for what this project's convex/ has no example of.
const convexDir = fileURLToPath(new URL('./fixtures/convex', import.meta.url));
const counter = {
	get: makeFunctionReference<'query', Record<string, never>, number>('counter:get'),
	bumpLater: makeFunctionReference<'mutation', { delayMs: number }, null>('counter:bumpLater'),
	bump: makeFunctionReference<'mutation', Record<string, never>, null>('counter:bump')
};

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator({ convexDir });
});
afterAll(() => emulator?.close());

describe('a deployment with scheduled functions and binary HTTP actions', () => {
	test('a write made later by a scheduled function reaches live subscriptions', async () => {
		const live = liveClient(emulator.url);
		try {
			expect(await nextValue(live, counter.get, {}, () => true)).toBe(0);
			const bumped = nextValue(live, counter.get, {}, (n) => n === 1);
			await new ConvexHttpClient(emulator.url).mutation(counter.bumpLater, { delayMs: 50 });
			expect(await bumped).toBe(1);
		} finally {
			await live.close();
		}
	});

	test('the internal function the scheduler runs stays unreachable from outside', async () => {
		await expect(new ConvexHttpClient(emulator.url).mutation(counter.bump, {})).rejects.toThrow(
			/Could not find public function/
		);
	});

	test("an HTTP action gets a binary body and the caller's identity, and its bytes come back untouched", async () => {
		const bytes = randomBytes(4096);
		bytes[0] = 0xff;
		bytes[1] = 0x00;
		const token = await mintToken(emulator.env, { sub: 'fixture-user' });
		const response = await fetch(`${emulator.siteUrl}/echo?x=1`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'X-Custom': 'kept' },
			body: bytes
		});
		expect(response.status).toBe(201);
		expect(response.headers.get('x-subject')).toBe('fixture-user');
		expect(response.headers.get('x-seen-header')).toBe('kept');
		expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
	});

	test('an HTTP action called without a token runs with no identity', async () => {
		const response = await fetch(`${emulator.siteUrl}/echo`, { method: 'POST', body: 'x' });
		expect(response.headers.get('x-subject')).toBe('anonymous');
		expect(await response.text()).toBe('x');
	});
});

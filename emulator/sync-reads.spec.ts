// Read sets at work over the sync protocol, with the notes sample's index range (deleted with the
// sample, docs/make-it-yours.md); read-sets.spec.ts checks what a read set matches on its own.
import { ConvexHttpClient } from 'convex/browser';
import { afterEach, describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { RawSync } from './test-raw-sync.ts';
import { emulatorWithUser, signUp } from './test-helpers.ts';

describe('subscriptions run again only when a write touched what they read', () => {
	const env = emulatorWithUser();
	const sockets: RawSync[] = [];
	afterEach(async () => {
		await Promise.all(sockets.splice(0).map((s) => s.close()));
	});

	const version = (t: Record<string, unknown>) =>
		t.endVersion as { querySet: number; identity: number };

	/** Transitions up to the first that passes `last`. */
	async function transitionsUntil(raw: RawSync, last: (t: Record<string, unknown>) => boolean) {
		const seen = [await raw.next('Transition')];
		while (!last(seen[seen.length - 1])) seen.push(await raw.next('Transition'));
		return seen;
	}

	/** A socket signed in with `token`, subscribed to notes:list, its first result taken. */
	async function listing(token: string) {
		const raw = await RawSync.open(env.emulator.url);
		sockets.push(raw);
		raw.send({ type: 'Authenticate', tokenType: 'User', value: token, baseVersion: 0 });
		raw.send({
			type: 'ModifyQuerySet',
			baseVersion: 0,
			newVersion: 1,
			modifications: [{ type: 'Add', queryId: 0, udfPath: 'notes:list', args: [{}] }]
		});
		// Writes elsewhere (mail, say) may slip a refresh in; the query's result comes with its Add.
		const added = await transitionsUntil(raw, (t) => version(t).querySet === 1);
		expect(added.at(-1)?.modifications).toHaveLength(1);
		return raw;
	}
	const listCalls = () => env.emulator.stats().calls['notes:list'] ?? 0;

	test("another user's note does not run this client's query", async () => {
		const other = await signUp(env.emulator.url);
		const writer = await listing(env.user.token);
		const bystander = await listing(other.token);
		const before = listCalls();
		await env.user.client.mutation(api.notes.create, { text: 'only mine' });
		const mine = await transitionsUntil(writer, (t) => (t.modifications as []).length > 0);
		expect(mine.at(-1)?.modifications).toEqual([
			expect.objectContaining({ type: 'QueryUpdated', queryId: 0 })
		]);
		// Every ModifyQuerySet gets a Transition, queued behind the refresh the write caused.
		bystander.send({ type: 'ModifyQuerySet', baseVersion: 1, newVersion: 2, modifications: [] });
		const theirs = await transitionsUntil(bystander, (t) => version(t).querySet === 2);
		expect(theirs.flatMap((t) => t.modifications)).toEqual([]);
		expect(listCalls() - before).toBe(1);
	});

	test("a note's removal and a new identity run the query again", async () => {
		const id = await env.user.client.mutation(api.notes.create, { text: 'to remove' });
		const raw = await listing(env.user.token);
		await new ConvexHttpClient(env.emulator.url, { auth: env.user.token }).mutation(
			api.notes.remove,
			{ id }
		);
		const removed = (await transitionsUntil(raw, (t) => (t.modifications as []).length > 0)).at(-1);
		expect(JSON.stringify(removed?.modifications)).not.toContain('to remove');
		expect(removed?.modifications).toHaveLength(1);
		const before = listCalls();
		raw.send({ type: 'Authenticate', tokenType: 'None', baseVersion: 1 });
		const signedOut = await transitionsUntil(raw, (t) => version(t).identity === 2);
		expect(signedOut.at(-1)?.modifications).toEqual([
			expect.objectContaining({ type: 'QueryFailed', queryId: 0 })
		]);
		expect(listCalls() - before).toBe(1);
	});
});

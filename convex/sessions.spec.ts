import { decodeJwt } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { BATCH } from './endSessions';
import { type Test, type Tokens, as, errorData, newTest, setAuthEnv, signIn } from './test.setup';

beforeAll(setAuthEnv);

const sessionOf = (token: string) => decodeJwt(token).sub!.split('|')[1] as Id<'authSessions'>;
const notFound = { code: 'NOT_FOUND' };
const unauthenticated = { code: 'UNAUTHENTICATED' };

let t: Test;
let first: Tokens; // ada's first session (the sign-up)
let second: Tokens; // ada's second session (a later sign-in)

beforeEach(async () => {
	// Fake only Date, so each step below gets its own, known creation time.
	vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
	t = newTest();
	first = await signIn(t, 'ada@example.com');
	vi.advanceTimersByTime(60_000);
	second = await signIn(t, 'ada@example.com', 'correct horse', 'signIn');
});

afterEach(() => {
	vi.useRealTimers();
});

describe('sessions.list', () => {
	it('lists the caller’s sessions newest first, marking the one in the JWT as current', async () => {
		const sessions = await as(t, first.token).query(api.sessions.list);
		expect(sessions.map((s) => s.id)).toEqual([sessionOf(second.token), sessionOf(first.token)]);
		expect(sessions.map((s) => s.current)).toEqual([false, true]);
		const firstSession = await t.run((ctx) => ctx.db.get(sessionOf(first.token)));
		expect(sessions[1]).toEqual({
			id: firstSession!._id,
			createdAt: firstSession!._creationTime,
			lastRefreshedAt: expect.any(Number),
			expiresAt: firstSession!.expirationTime,
			current: true,
			device: null
		});
		// The other session sees the same list with the other one current.
		const fromSecond = await as(t, second.token).query(api.sessions.list);
		expect(fromSecond.map((s) => [s.id, s.current])).toEqual([
			[sessionOf(second.token), true],
			[sessionOf(first.token), false]
		]);
	});

	it('moves lastRefreshedAt forward when the session is refreshed', async () => {
		const [, before] = await as(t, first.token).query(api.sessions.list);
		expect(before.lastRefreshedAt - before.createdAt).toBeLessThan(1000);

		vi.advanceTimersByTime(30 * 60_000);
		const { tokens } = await t.action(api.auth.signIn, { refreshToken: first.refreshToken });
		const [, after] = await as(t, tokens!.token).query(api.sessions.list);
		expect(after.id).toBe(before.id);
		expect(after.createdAt).toBe(before.createdAt);
		expect(after.lastRefreshedAt).toBeGreaterThanOrEqual(Date.now() - 1000);
		expect(after.lastRefreshedAt - before.lastRefreshedAt).toBeGreaterThanOrEqual(30 * 60_000);
	});

	it('leaves out expired sessions', async () => {
		await t.run((ctx) => ctx.db.patch(sessionOf(second.token), { expirationTime: Date.now() - 1 }));
		const sessions = await as(t, first.token).query(api.sessions.list);
		expect(sessions.map((s) => s.id)).toEqual([sessionOf(first.token)]);
	});

	it('never shows another user’s sessions', async () => {
		const bob = await signIn(t, 'bob@example.com');
		const sessions = await as(t, bob.token).query(api.sessions.list);
		expect(sessions.map((s) => [s.id, s.current])).toEqual([[sessionOf(bob.token), true]]);
	});

	it('refuses anonymous and signed-out callers', async () => {
		expect(await errorData(t.query(api.sessions.list))).toEqual(unauthenticated);
		await as(t, first.token).action(api.auth.signOut);
		expect(await errorData(as(t, first.token).query(api.sessions.list))).toEqual(unauthenticated);
	});
});

describe('sessions.revoke', () => {
	it('signs the other session out at once: its JWT loses access and its refresh token is refused', async () => {
		const victim = as(t, second.token);
		await victim.mutation(api.users.rename, { name: 'Ada' });

		await as(t, first.token).mutation(api.sessions.revoke, { id: sessionOf(second.token) });

		expect(await errorData(victim.query(api.users.me))).toEqual(unauthenticated);
		expect(await t.action(api.auth.signIn, { refreshToken: second.refreshToken })).toEqual({
			tokens: null
		});
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		const left = await t.run(async (ctx) => ({
			sessions: (await ctx.db.query('authSessions').collect()).map((s) => s._id),
			tokens: (await ctx.db.query('authRefreshTokens').collect()).map((r) => r.sessionId)
		}));
		expect(left).toEqual({ sessions: [sessionOf(first.token)], tokens: [sessionOf(first.token)] });
		// The revoking session carries on.
		expect(await as(t, first.token).query(api.users.me)).toMatchObject({ name: 'Ada' });
	});

	it('may revoke the current session, which signs the caller out', async () => {
		const me = as(t, first.token);
		await me.mutation(api.sessions.revoke, { id: sessionOf(first.token) });
		expect(await errorData(me.query(api.users.me))).toEqual(unauthenticated);
		expect(await as(t, second.token).query(api.sessions.list)).toHaveLength(1);
	});

	it('answers NOT_FOUND for another user’s session, and leaves it alone', async () => {
		const bob = as(t, (await signIn(t, 'bob@example.com')).token);
		const id = sessionOf(first.token);
		expect(await errorData(bob.mutation(api.sessions.revoke, { id }))).toEqual(notFound);
		expect(await as(t, first.token).query(api.users.me)).toMatchObject({
			email: 'ada@example.com'
		});
		expect(await t.action(api.auth.signIn, { refreshToken: first.refreshToken })).toEqual({
			tokens: expect.anything()
		});
	});

	it('answers NOT_FOUND for a session that no longer exists', async () => {
		const me = as(t, first.token);
		const id = sessionOf(second.token);
		await me.mutation(api.sessions.revoke, { id });
		expect(await errorData(me.mutation(api.sessions.revoke, { id }))).toEqual(notFound);
	});

	it('refuses anonymous callers', async () => {
		const id = sessionOf(first.token);
		expect(await errorData(t.mutation(api.sessions.revoke, { id }))).toEqual(unauthenticated);
		expect(await as(t, first.token).query(api.sessions.list)).toHaveLength(2);
	});
});

describe('sessions.revokeOthers', () => {
	it('keeps only the current session and returns how many it revoked', async () => {
		const third = await signIn(t, 'ada@example.com', 'correct horse', 'signIn');
		const bob = await signIn(t, 'bob@example.com');
		const me = as(t, second.token);

		expect(await me.mutation(api.sessions.revokeOthers)).toBe(2);

		expect((await me.query(api.sessions.list)).map((s) => [s.id, s.current])).toEqual([
			[sessionOf(second.token), true]
		]);
		for (const gone of [first, third]) {
			expect(await errorData(as(t, gone.token).query(api.users.me))).toEqual(unauthenticated);
			expect(await t.action(api.auth.signIn, { refreshToken: gone.refreshToken })).toEqual({
				tokens: null
			});
		}
		// Other users are untouched.
		expect(await as(t, bob.token).query(api.sessions.list)).toHaveLength(1);
		expect(await me.mutation(api.sessions.revokeOthers)).toBe(0);
	});

	it('clears expired sessions too, without counting them', async () => {
		await t.run((ctx) => ctx.db.patch(sessionOf(first.token), { expirationTime: Date.now() - 1 }));
		expect(await as(t, second.token).mutation(api.sessions.revokeOthers)).toBe(0);
		expect(await t.run((ctx) => ctx.db.get(sessionOf(first.token)))).toBeNull();
	});

	it('refuses anonymous callers', async () => {
		expect(await errorData(t.mutation(api.sessions.revokeOthers))).toEqual(unauthenticated);
	});
});

describe('sessions.revokeOthers for a user with more sessions than one transaction takes', () => {
	const REFRESHES = 3; // refresh tokens per session: more tokens than sessions to delete
	const sessions = (userId: Id<'users'>) =>
		t.run((ctx) =>
			ctx.db
				.query('authSessions')
				.withIndex('userId', (q) => q.eq('userId', userId))
				.collect()
		);
	const tokensLeft = () =>
		t.run(async (ctx) => (await ctx.db.query('authRefreshTokens').collect()).length);

	/** `n` sessions of `userId`, each refreshed a few times, in chunks a transaction may write. */
	async function addSessions(userId: Id<'users'>, n: number, expirationTime: number) {
		for (let added = 0; added < n;) {
			const chunk = Math.min(n - added, BATCH / (1 + REFRESHES));
			await t.run(async (ctx) => {
				for (let i = 0; i < chunk; i++) {
					const sessionId = await ctx.db.insert('authSessions', { userId, expirationTime });
					for (let r = 0; r < REFRESHES; r++)
						await ctx.db.insert('authRefreshTokens', { sessionId, expirationTime });
				}
			});
			added += chunk;
		}
	}

	it('signs them all out, writing at most one batch per transaction', async () => {
		// Every transaction, the scheduled ones included, fails if it writes more than one batch.
		t = newTest({ documentsWritten: BATCH });
		const me = await signIn(t, 'ada@example.com');
		const bob = await signIn(t, 'bob@example.com');
		const userId = decodeJwt(me.token).sub!.split('|')[0] as Id<'users'>;
		const live = Date.now() + 86_400_000;
		await addSessions(userId, 100, Date.now() - 1); // expired: cleared, not counted
		await addSessions(userId, BATCH + 400, live);
		expect(await tokensLeft()).toBe((BATCH + 500) * REFRESHES + 2);
		// Scheduled transactions wait for the clock from here on.
		vi.useFakeTimers({ now: Date.now() });

		// The newest (live) sessions go in the first transaction, and each of them counts.
		expect(await as(t, me.token).mutation(api.sessions.revokeOthers)).toBe(BATCH);
		expect((await sessions(userId)).length).toBe(1 + 500);
		// A session signed in after the request is not one of the sessions it signs out.
		vi.setSystemTime(Date.now() + 1000);
		const later = await t.run((ctx) =>
			ctx.db.insert('authSessions', { userId, expirationTime: live })
		);

		await t.finishAllScheduledFunctions(vi.runAllTimers);
		const scheduled = await t.run((ctx) => ctx.db.system.query('_scheduled_functions').collect());
		expect(scheduled.map((f) => f.state.kind)).toEqual(scheduled.map(() => 'success'));
		expect(scheduled.length).toBeGreaterThan(2); // more than one batch of each kind
		expect((await sessions(userId)).map((s) => s._id).sort()).toEqual(
			[sessionOf(me.token), later].sort()
		);
		// Only the kept session's and bob's refresh tokens are left.
		expect(await tokensLeft()).toBe(2);
		expect(await as(t, me.token).query(api.sessions.list)).toHaveLength(2);
		expect(await as(t, bob.token).query(api.sessions.list)).toHaveLength(1);
	}, 60_000);
});

describe('sessions.describe', () => {
	const device = {
		browser: 'Firefox 133',
		os: 'Linux',
		method: 'password' as const,
		network: '203.0.113.0/24'
	};
	const infoRows = () => t.run((ctx) => ctx.db.query('sessionInfo').collect());

	it('labels the caller’s own session, which the list then shows; others stay unlabelled', async () => {
		await as(t, second.token).mutation(api.sessions.describe, device);
		const sessions = await as(t, first.token).query(api.sessions.list);
		expect(sessions.map((s) => [s.id, s.device])).toEqual([
			[
				sessionOf(second.token),
				{ browser: 'Firefox 133', os: 'Linux', method: 'password', network: '203.0.113.0/24' }
			],
			[sessionOf(first.token), null]
		]);
	});

	it('replaces the session’s label when called again', async () => {
		const me = as(t, first.token);
		await me.mutation(api.sessions.describe, device);
		await me.mutation(api.sessions.describe, { ...device, browser: 'Chrome 131' });
		expect(await infoRows()).toHaveLength(1);
		expect((await me.query(api.sessions.list))[1].device?.browser).toBe('Chrome 131');
	});

	it('refuses text over the bound, and anonymous or signed-out callers', async () => {
		const me = as(t, first.token);
		const long = { ...device, os: 'x'.repeat(65) };
		expect(await errorData(me.mutation(api.sessions.describe, long))).toEqual({ code: 'TOO_LONG' });
		expect(await errorData(t.mutation(api.sessions.describe, device))).toEqual(unauthenticated);
		await me.action(api.auth.signOut);
		expect(await errorData(me.mutation(api.sessions.describe, device))).toEqual(unauthenticated);
		expect(await infoRows()).toEqual([]);
	});

	it('goes with its session when the session is revoked', async () => {
		await as(t, first.token).mutation(api.sessions.describe, device);
		await as(t, second.token).mutation(api.sessions.describe, device);
		await as(t, second.token).mutation(api.sessions.revokeOthers);
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		expect((await infoRows()).map((i) => i.sessionId)).toEqual([sessionOf(second.token)]);
		await as(t, second.token).mutation(api.sessions.revoke, { id: sessionOf(second.token) });
		await t.finishAllScheduledFunctions(vi.runAllTimers);
		expect(await infoRows()).toEqual([]);
	});

	it('is cleared at the next sign-in when the session signed out through auth:signOut', async () => {
		await as(t, first.token).mutation(api.sessions.describe, device);
		await as(t, first.token).action(api.auth.signOut);
		const third = await signIn(t, 'ada@example.com', 'correct horse', 'signIn');
		await as(t, third.token).mutation(api.sessions.describe, device);
		expect((await infoRows()).map((i) => i.sessionId)).toEqual([sessionOf(third.token)]);
	});
});

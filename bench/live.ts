// P6: many concurrent streams on one process. P7: N tabs of one session → 1 upstream subscription.
// (P5, update latency, is live-latency.ts.)
import { measureClients } from './client-memory.ts';
import { count } from './count.ts';
import { measureFloor } from './floors/index.ts';
import { retainedPerStream, SUBS } from './memory.ts';
import { openStream } from './sse.ts';
import { signUp, startStack } from './stack.ts';
import { port } from '../tests/support/ports.ts';

/** `n` fresh users, signed up a few at a time. */
async function signUpMany(url: string, n: number, parallel = 8) {
	const users: Awaited<ReturnType<typeof signUp>>[] = [];
	while (users.length < n)
		users.push(
			...(await Promise.all(
				Array.from({ length: Math.min(parallel, n - users.length) }, () => signUp(url))
			))
		);
	return users;
}

/** One cookie per tab: every session opens `tabs` streams. */
const perTab = (users: { cookie: string }[], tabs: number) =>
	users.flatMap((u) => Array.from({ length: tabs }, () => u.cookie));

/** What an open stream retains: the relay on its own stack, then its floors, the same way. */
export async function benchLiveScale(sessions: number, tabs: number) {
	const stack = await startStack(3, {}, true);
	try {
		// P7 first, on a quiet backend: N tabs of one session on one query.
		const one = await signUp(stack.url);
		const base = await stack.stats();
		const firstValues = count();
		const sameQuery = Array.from({ length: 10 }, () =>
			openStream(stack.url, one.cookie, [['notes:list', {}]], firstValues.add)
		);
		await firstValues.reached(10);
		// A fence: the session's upstream socket carries this query's subscription after any the ten
		// tabs caused, and the backend answers in order, so its first value means they all arrived.
		const fenced = count();
		const fence = openStream(stack.url, one.cookie, [['users:me', {}]], fenced.add);
		await fenced.reached(1);
		const p7 = await stack.stats();
		const p7Result = {
			tabs: 10,
			upstreamConnections: p7.connections - base.connections,
			upstreamSubscriptions: p7.subscriptions - base.subscriptions - 1
		};
		[...sameQuery, fence].forEach((s) => s.close());

		const users = await signUpMany(stack.url, sessions);
		const cookies = perTab(users, tabs);
		const relay = await retainedPerStream(stack, cookies, ['Request', 'URL']);
		const upstream = await stack.stats();
		relay.close();
		const floor = port('BENCH_APP_PORT') + 10;
		const floors = {
			raw: await measureFloor('raw', stack, cookies, floor),
			kit: await measureFloor('kit', stack, cookies, floor + 1),
			kitHooks: await measureFloor('kit+hooks', stack, cookies, floor + 2)
		};
		// The breakdown: one session's upstream client alone, in a process of its own.
		const tokens = users.slice(0, 400).map((u) => u.jwt);
		const client = await measureClients(stack.convexUrl, tokens, 'relay');
		const builtinClient = await measureClients(stack.convexUrl, tokens, 'builtin');
		return {
			tabs,
			relay,
			floors,
			expectedFirstValues: cookies.length * SUBS.length,
			upstreamConnections: upstream.connections,
			client,
			builtinClient,
			p7: p7Result
		};
	} finally {
		await stack.stop();
	}
}

/** The same measurement at a larger scale, relay only: `sessions` × `tabs` streams on one process. */
export async function benchLiveLarge(sessions: number, tabs: number) {
	const stack = await startStack(6, {}, true);
	try {
		const cookies = perTab(await signUpMany(stack.url, sessions), tabs);
		const relay = await retainedPerStream(stack, cookies);
		relay.close();
		return { sessions, tabs, relay, expectedFirstValues: cookies.length * SUBS.length };
	} finally {
		await stack.stop();
	}
}

import { fileURLToPath } from 'node:url';
import { ConvexHttpClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from './emulator.ts';
import { DETAIL } from './fixtures/convex/failing.ts';
import { liveClient } from './test-helpers.ts';
import { RawSync } from './test-raw-sync.ts';

const convexDir = fileURLToPath(new URL('./fixtures/convex', import.meta.url));
const REDACTED = /^\[Request ID: [0-9a-f]+\] Server Error$/;
const fn = {
	query: makeFunctionReference<'query'>('failing:throwsQuery'),
	mutation: makeFunctionReference<'mutation'>('failing:throwsMutation'),
	action: makeFunctionReference<'action'>('failing:throwsAction'),
	convexError: makeFunctionReference<'mutation'>('failing:throwsConvexError'),
	takesId: makeFunctionReference<'mutation'>('failing:takesId'),
	catchesInner: makeFunctionReference<'action'>('failing:catchesInner')
};

/** The emulator the enclosing describe's tests run against. */
function emulatorFor(options: { devErrors: boolean }) {
	const env = {} as { emulator: Emulator };
	beforeAll(async () => {
		env.emulator = await startEmulator({ convexDir, ...options });
	});
	afterAll(() => env.emulator?.close());
	return env;
}

async function post(url: string, path: string, args: Record<string, unknown> = {}) {
	const response = await fetch(`${url}/api/run/${path.replace(':', '/')}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ args, format: 'json' })
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The message each transport delivers for the same failure. */
async function messagesFrom(emulator: Emulator) {
	const http = new ConvexHttpClient(emulator.url);
	const message = (promise: Promise<unknown>) =>
		promise.then(
			() => expect.fail('expected a failure'),
			(e: unknown) => (e as Error).message
		);
	const raw = await RawSync.open(emulator.url);
	try {
		raw.send({
			type: 'ModifyQuerySet',
			baseVersion: 0,
			newVersion: 1,
			modifications: [{ type: 'Add', queryId: 0, udfPath: 'failing:throwsQuery', args: [{}] }]
		});
		raw.send({ type: 'Mutation', requestId: 0, udfPath: 'failing:throwsMutation', args: [{}] });
		raw.send({ type: 'Action', requestId: 1, udfPath: 'failing:throwsAction', args: [{}] });
		const transition = await raw.next('Transition');
		const mutation = await raw.next('MutationResponse');
		const action = await raw.next('ActionResponse');
		return {
			httpQuery: await message(http.query(fn.query, {})),
			httpMutation: await message(http.mutation(fn.mutation, {})),
			httpAction: await message(http.action(fn.action, {})),
			httpArgs: await message(http.mutation(fn.takesId, { id: 'not-an-id' })),
			queryFailed: (transition.modifications as { errorMessage: string }[])[0].errorMessage,
			mutationResponse: mutation.result as string,
			actionResponse: action.result as string
		};
	} finally {
		await raw.close();
	}
}

describe('by default, failures read as from a production deployment', () => {
	const env = emulatorFor({ devErrors: false });

	test('anything but a ConvexError is only a request id, over HTTP and the sync protocol', async () => {
		const messages = await messagesFrom(env.emulator);
		for (const [where, message] of Object.entries(messages)) {
			expect({ where, message }).toEqual({ where, message: expect.stringMatching(REDACTED) });
		}
		const run = await post(env.emulator.url, 'failing:throwsMutation');
		expect(run).toEqual({
			status: 560,
			body: { status: 'error', errorMessage: expect.stringMatching(REDACTED), logLines: [] }
		});
	});

	test('a ConvexError keeps its data', async () => {
		const error = await new ConvexHttpClient(env.emulator.url)
			.mutation(fn.convexError, {})
			.catch((e: unknown) => e);
		expect(error).toMatchObject({ data: { code: 'KNOWN' } });
		const live = liveClient(env.emulator.url);
		try {
			await expect(live.mutation(fn.convexError, {})).rejects.toMatchObject({
				data: { code: 'KNOWN' }
			});
		} finally {
			await live.close();
		}
	});

	test('an action sees a failed mutation as "Uncaught Error: …" with a stack, a ConvexError as itself', async () => {
		const http = new ConvexHttpClient(env.emulator.url);
		const plain = (await http.action(fn.catchesInner, { convexError: false })) as {
			message: string;
		};
		expect(plain.message).not.toBe(DETAIL);
		expect(plain.message.split('\n')[0]).toBe(`Uncaught Error: ${DETAIL}`);
		expect(plain.message.split('\n')[1]).toMatch(/^\s+at /);
		expect(await http.action(fn.catchesInner, { convexError: true })).toMatchObject({
			data: { code: 'INNER' }
		});
	});
});

describe('with devErrors, failures read as from a dev deployment', () => {
	const env = emulatorFor({ devErrors: true });

	test('messages keep the error and its stack, over HTTP and the sync protocol', async () => {
		const messages = await messagesFrom(env.emulator);
		const { httpArgs, ...thrown } = messages;
		for (const [where, message] of Object.entries(thrown)) {
			const [first, second, third] = message.split('\n');
			expect({ where, first, second, third }).toEqual({
				where,
				first: expect.stringMatching(/^\[Request ID: [0-9a-f]+\] Server Error$/),
				second: `Uncaught Error: ${DETAIL}`,
				third: expect.stringMatching(/^\s+at /)
			});
		}
		expect(httpArgs).toMatch(/Validator/);
	});
});

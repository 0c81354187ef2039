import { ConvexError } from 'convex/values';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SECRET = 'the-server-secret-0123456789abcdefghij';
vi.mock('./config.ts', () => ({
	config: { convexUrl: 'https://happy-otter-123.convex.cloud', serverSecret: SECRET }
}));

const { checkServerSecret } = await import('./secret-check.ts');

/** A client whose `auth:signIn` answers with `answer`; the args it was called with. */
function client(answer: () => Promise<unknown>) {
	const calls: unknown[] = [];
	const fake = {
		action: (_: unknown, args: unknown) => {
			calls.push(args);
			return answer();
		}
	};
	return { fake: fake as unknown as Parameters<typeof checkServerSecret>[0], calls };
}

afterEach(() => vi.restoreAllMocks());

describe('checkServerSecret', () => {
	it('is satisfied when the gate lets the probe through to the flow check', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const { fake, calls } = client(() => Promise.reject(new ConvexError({ code: 'INVALID_FLOW' })));
		expect(await checkServerSecret(fake)).toBe('ok');
		expect(calls).toEqual([
			{ provider: 'password', params: { serverSecret: SECRET, flow: 'startup-check' } }
		]);
		expect(logged).not.toHaveBeenCalled();
	});

	it.each([
		['SERVER_ONLY', /differs from this server’s/],
		['SERVER_SECRET_NOT_CONFIGURED', /has no AUTH_SERVER_SECRET/]
	])('logs what to fix when the deployment answers %s, never the secret', async (code, what) => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const { fake } = client(() => Promise.reject(new ConvexError({ code })));
		expect(await checkServerSecret(fake)).toBe('refused');
		expect(logged).toHaveBeenCalledTimes(1);
		expect(logged.mock.calls[0][0]).toMatch(what);
		expect(JSON.stringify(logged.mock.calls)).not.toContain(SECRET);
	});

	it('stays quiet about a backend it cannot reach, or that does not answer in time', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const down = client(() => Promise.reject(new TypeError('fetch failed')));
		expect(await checkServerSecret(down.fake)).toBe('unknown');
		const silent = client(() => new Promise(() => {}));
		expect(await checkServerSecret(silent.fake, 20)).toBe('unknown');
		expect(logged).not.toHaveBeenCalled();
	});
});

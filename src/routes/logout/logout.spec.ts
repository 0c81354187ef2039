import { error, isRedirect, type Cookies } from '@sveltejs/kit';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const mocks = vi.hoisted(() => ({
	signOut: vi.fn<() => Promise<null>>(),
	endSession: vi.fn<(sessionId: string) => void>()
}));

vi.mock('#lib/server/config.ts', () => ({ config: { cookieSecure: 'auto' } }));
vi.mock('#lib/server/convex.ts', () => ({ convex: () => ({ action: mocks.signOut }) }));
vi.mock('#lib/server/live/index.ts', () => ({ hub: { endSession: mocks.endSession } }));

const { actions } = await import('./+page.server.ts');

function logOut() {
	const deleted: string[] = [];
	const cookies = { delete: (name: string) => deleted.push(name) } as unknown as Cookies;
	const event = {
		locals: {
			token: 'jwt',
			session: { id: 'session-1', issuedAt: 0, expiresAt: Date.now() + 60_000 }
		},
		cookies,
		url: new URL('http://localhost/logout')
	} as unknown as Parameters<typeof actions.default>[0];
	const done = actions.default(event).then(
		() => {
			throw new Error('expected a redirect');
		},
		(thrown: unknown) => {
			if (!isRedirect(thrown)) throw thrown;
			return thrown;
		}
	);
	return { deleted, done };
}

describe('POST /logout', () => {
	beforeEach(() => {
		mocks.signOut.mockReset();
		mocks.endSession.mockReset();
	});

	it('ends the live streams only once the backend has deleted the session', async () => {
		// Ended earlier, another tab would reload while its cookie still works and stay signed in.
		let finish = () => {};
		mocks.signOut.mockReturnValue(new Promise((resolve) => (finish = () => resolve(null))));
		const { deleted, done } = logOut();
		await vi.waitFor(() => expect(mocks.signOut).toHaveBeenCalledOnce());
		await new Promise((resolve) => setTimeout(resolve, 10));
		expect(mocks.endSession).not.toHaveBeenCalled();

		finish();
		const redirect = await done;
		expect(mocks.endSession).toHaveBeenCalledExactlyOnceWith('session-1');
		expect(redirect.location).toBe('/');
		expect(deleted).toHaveLength(2);
	});

	it('still clears the cookies and ends the streams when the backend is unreachable', async () => {
		mocks.signOut.mockImplementation(async () => error(503, 'backend down'));
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const { deleted, done } = logOut();
		expect((await done).location).toBe('/');
		expect(mocks.endSession).toHaveBeenCalledExactlyOnceWith('session-1');
		expect(deleted).toHaveLength(2);
		expect(warn).toHaveBeenCalledOnce();
		warn.mockRestore();
	});
});

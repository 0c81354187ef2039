import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RefreshResult } from './refresh.ts';
import type { Verification } from './tokens.ts';

const mocks = vi.hoisted(() => ({
	verify: vi.fn<(token: string) => Promise<Verification>>(),
	refresh: vi.fn<(refreshToken: string) => Promise<RefreshResult>>()
}));
vi.mock('./config.ts', () => ({
	config: { cookieSecure: 'auto', convexSiteUrl: 'https://x.convex.site' }
}));
vi.mock('./tokens.ts', async (actual) => ({
	...(await actual<typeof import('./tokens.ts')>()),
	createVerifier: () => mocks.verify
}));
vi.mock('./refresh.ts', () => ({
	convexRefresh: () => null,
	createRefresher: () => mocks.refresh
}));

const { establishSession } = await import('./session.ts');

const HOUR = 3_600_000;
const user = { id: 'user1', email: 'ada@example.com', name: 'Ada' };
/** A valid verification for a JWT that expires in `ms`, one hour after it was issued. */
const valid = (id: string, ms = HOUR): Verification => ({
	status: 'valid',
	user,
	session: { id, issuedAt: Date.now() + ms - HOUR, expiresAt: Date.now() + ms }
});

/** A request with these cookies; what the session step read, wrote and left in locals. */
async function request(jar: Record<string, string>) {
	const read: string[] = [];
	const written: Record<string, string> = {};
	const cookies = {
		get: (name: string) => (read.push(name), jar[name]),
		set: (name: string, value: string) => (written[name] = value),
		delete: (name: string) => (written[name] = '')
	} as unknown as Cookies;
	const event = { cookies, url: new URL('http://localhost/notes'), locals: {} };
	const outcome = await establishSession(event as unknown as RequestEvent);
	return { outcome, locals: event.locals as App.Locals, read, written };
}

beforeEach(() => {
	mocks.verify.mockReset();
	mocks.refresh.mockReset();
});

describe('establishSession', () => {
	it('reads each cookie once and verifies the JWT once, filling user, session and token together', async () => {
		const verified = valid('s1');
		mocks.verify.mockResolvedValue(verified);
		const { outcome, locals, read, written } = await request({
			'convex-jwt': 'jwt1',
			'convex-refresh': 'rt1'
		});
		expect(outcome).toBe('signed-in');
		expect(read).toEqual(['convex-jwt', 'convex-refresh']);
		expect(mocks.verify.mock.calls).toEqual([['jwt1']]);
		expect(mocks.refresh).not.toHaveBeenCalled();
		expect(locals).toEqual({
			user,
			session: verified.status === 'valid' && verified.session,
			token: 'jwt1'
		});
		expect(written).toEqual({});
	});

	it('refreshes a JWT in its last minute before the request runs, and the request sees the new one', async () => {
		mocks.verify.mockImplementation(async (t) =>
			t === 'jwt1' ? valid('s1', 30_000) : valid('s1')
		);
		mocks.refresh.mockResolvedValue({
			status: 'refreshed',
			tokens: { token: 'jwt2', refreshToken: 'rt2' }
		});
		const { outcome, locals, written } = await request({
			'convex-jwt': 'jwt1',
			'convex-refresh': 'rt1'
		});
		expect(outcome).toBe('signed-in');
		expect(mocks.refresh.mock.calls).toEqual([['rt1']]);
		expect(locals.token).toBe('jwt2');
		expect(written).toEqual({ 'convex-jwt': 'jwt2', 'convex-refresh': 'rt2' });
	});

	it('signs in from the refresh cookie alone when the JWT cookie has expired away', async () => {
		mocks.verify.mockResolvedValue(valid('s1'));
		mocks.refresh.mockResolvedValue({
			status: 'refreshed',
			tokens: { token: 'jwt2', refreshToken: 'rt2' }
		});
		const { locals } = await request({ 'convex-refresh': 'rt1' });
		expect([locals.user?.id, locals.session?.id, locals.token]).toEqual(['user1', 's1', 'jwt2']);
	});

	it('signs out, clearing both cookies, only when the backend refuses the refresh token', async () => {
		mocks.verify.mockResolvedValue(valid('s1', 30_000));
		mocks.refresh.mockResolvedValue({ status: 'refused' });
		const { outcome, locals, written } = await request({
			'convex-jwt': 'jwt1',
			'convex-refresh': 'rt1'
		});
		expect(outcome).toBe('anonymous');
		expect(locals).toEqual({ user: null, session: null, token: null });
		expect(written).toEqual({ 'convex-jwt': '', 'convex-refresh': '' });
	});

	it('keeps a still-valid JWT and the cookies while the backend cannot refresh it', async () => {
		mocks.verify.mockResolvedValue(valid('s1', 30_000));
		mocks.refresh.mockResolvedValue({ status: 'unavailable' });
		const { outcome, locals, written } = await request({
			'convex-jwt': 'jwt1',
			'convex-refresh': 'rt1'
		});
		expect([outcome, locals.token]).toEqual(['signed-in', 'jwt1']);
		expect(written).toEqual({});
	});

	it('runs a request unconfirmed, cookies kept, when there is only a refresh token the backend cannot take', async () => {
		mocks.refresh.mockResolvedValue({ status: 'unavailable' });
		const { outcome, locals, written } = await request({ 'convex-refresh': 'rt1' });
		expect(outcome).toBe('unconfirmed');
		expect(locals).toEqual({ user: null, session: null, token: null });
		expect(written).toEqual({});
	});

	it('counts a JWT that does not verify as none, and never asks to refresh without a refresh token', async () => {
		mocks.verify.mockResolvedValue({ status: 'invalid' });
		const { outcome, locals } = await request({ 'convex-jwt': 'forged' });
		expect(outcome).toBe('anonymous');
		expect(locals.user).toBeNull();
		expect(mocks.refresh).not.toHaveBeenCalled();
	});
});

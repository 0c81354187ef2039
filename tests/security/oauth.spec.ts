// OAuth through the production server, the emulator's Convex Auth routes and the offline OpenID
// provider, walked by a scripted browser that can stop and tamper at every hop.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Walker } from '../support/oauth-walk.ts';
import { APP, FORWARDED, JWT, REFRESH } from './http.ts';
import { START } from '../../src/lib/app.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
const FLOW = '__Secure-oauth-flow';
const CALLBACK = '/oauth/oidc/callback';

beforeAll(async () => {
	stack = await startStack(12, {}, 'production', { oidc: true });
});
afterAll(() => stack?.stop());

/** A browser for this stack: the app's public origin is served by the production server. */
const browser = () =>
	new Walker((url) =>
		url.origin === APP
			? { url: `http://127.0.0.1:${stack.port}${url.pathname}${url.search}`, headers: FORWARDED }
			: null
	);
const atApp = (url: URL) => url.origin === APP;

/** Where the page answering "Continue with …" moves on to (its refresh), unescaped. */
async function onward(response: Response): Promise<string> {
	const html = await response.text();
	const url = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(html)?.[1];
	expect(url).toBeDefined();
	return url!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Where the sign-ins return: never START, so redirectTo is carried whatever START is. */
const RETURN_TO = '/account/sessions';

/** "Continue with Offline OpenID" on /login: the app's answer, before following it. */
function begin(walker: Walker, redirectTo = RETURN_TO) {
	return walker.request(`${APP}/oauth/oidc`, {
		method: 'POST',
		headers: { origin: APP, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ redirectTo })
	});
}

/**
 * From the button to the app's callback URL (not yet visited): signs in at the provider as `user`,
 * or denies. `tamper` may change the provider's answer on its way to the deployment's callback.
 */
async function toCallback(
	walker: Walker,
	opts: {
		user?: string;
		decision?: 'allow' | 'deny';
		redirectTo?: string;
		tamper?: (u: URL) => void;
	} = {}
): Promise<URL> {
	const started = await begin(walker, opts.redirectTo);
	expect(started.status).toBe(200);
	const { response, url: page } = await walker.follow(await onward(started));
	expect(response?.status).toBe(200);
	const user = opts.user ?? 'ada';
	const answer = await walker.decide(page, user, `${user}-password`, opts.decision ?? 'allow');
	const { url: callback } = await walker.follow(
		new URL(answer.headers.get('location')!, page).href,
		(next) => next.pathname.startsWith('/api/auth/callback/')
	);
	opts.tamper?.(callback);
	return (await walker.follow(callback.href, atApp)).url;
}

/** The app's answer at its callback; its Set-Cookie lines and where it sends the browser. */
async function land(walker: Walker, callback: URL) {
	const response = await walker.request(callback.href);
	return {
		status: response.status,
		location: response.headers.get('location') ?? '',
		cookies: response.headers.getSetCookie()
	};
}

const sessionSet = (cookies: string[]) =>
	cookies.some((c) => c.startsWith(`${JWT}=`) && !/^[^=]+=;/.test(c)) ||
	cookies.some((c) => c.startsWith(`${REFRESH}=`) && !/^[^=]+=;/.test(c));

describe('OAuth sign-in through the server', () => {
	test('the round trip signs in on the server: tokens only in HttpOnly cookies, never in a URL', async () => {
		const walker = browser();
		const started = await begin(walker);
		const flowCookie = started.headers.getSetCookie().find((c) => c.startsWith(`${FLOW}=`))!;
		expect(flowCookie).toMatch(/; HttpOnly/i);
		expect(flowCookie).toMatch(/; Secure/i);
		expect(flowCookie).toMatch(/; SameSite=Lax/i);
		expect(flowCookie).toMatch(new RegExp(`; Path=${CALLBACK}`));
		expect(flowCookie).toMatch(/; Max-Age=600/);
		// The page that moves on to the deployment runs nothing and is never stored.
		expect(started.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(started.headers.get('cache-control')).toBe('private, no-store');

		const callback = await toCallback(walker);
		expect(callback.pathname).toBe(CALLBACK);
		expect(callback.searchParams.get('code')).toMatch(/^\d{8}$/);
		const landed = await land(walker, callback);
		expect(landed.status).toBe(303);
		// Straight on, so the code leaves the address bar at once.
		expect(landed.location).toBe(RETURN_TO);
		expect(landed.cookies.find((c) => c.startsWith(`${FLOW}=`))).toMatch(/Max-Age=0/);
		for (const name of [JWT, REFRESH]) {
			expect(landed.cookies.find((c) => c.startsWith(`${name}=`))).toMatch(/HttpOnly/);
		}
		const token = walker.cookies.get(JWT)!;
		const refresh = walker.cookies.get(REFRESH)!;
		for (const url of walker.visited) {
			expect(url).not.toContain(token);
			expect(url).not.toContain(refresh);
		}

		const account = await walker.request(`${APP}/account`);
		const html = await account.text();
		expect(account.status).toBe(200);
		expect(html).toContain('ada@example.test');
		expect(html).toContain('Offline OpenID');
		expect(html).not.toContain(token);
		expect(html).not.toContain(refresh);
	});

	test('a callback without the flow cookie is refused and signs nobody in', async () => {
		const walker = browser();
		const callback = await toCallback(walker);
		walker.cookies.delete(FLOW);
		const landed = await land(walker, callback);
		expect(landed.location).toBe('/login?oauth=expired&provider=oidc');
		expect(sessionSet(landed.cookies)).toBe(false);
	});

	test("a flow cookie whose verifier is not the sign-in's is refused", async () => {
		const walker = browser();
		const callback = await toCallback(walker);
		const other = browser();
		await begin(other);
		walker.cookies.set(FLOW, other.cookies.get(FLOW)!);
		const landed = await land(walker, callback);
		expect(landed.location).toBe(
			`/login?oauth=failed&provider=oidc&redirectTo=${encodeURIComponent(RETURN_TO)}`
		);
		expect(sessionSet(landed.cookies)).toBe(false);
	});

	test('a code is redeemed once: replayed with the same flow cookie, it is refused', async () => {
		const walker = browser();
		const callback = await toCallback(walker);
		const flow = walker.cookies.get(FLOW)!;
		expect((await land(walker, callback)).location).toBe(RETURN_TO);
		const replay = browser();
		replay.cookies.set(FLOW, flow);
		const landed = await land(replay, callback);
		expect(landed.location).toMatch(/^\/login\?oauth=failed/);
		expect(sessionSet(landed.cookies)).toBe(false);
	});

	test("login CSRF: a code minted in the attacker's browser does not sign the victim in", async () => {
		const attacker = browser();
		const planted = await toCallback(attacker, { user: 'grace' });
		// The victim opens the attacker's link, with a flow of their own under way or none at all.
		const victim = browser();
		await begin(victim);
		const withFlow = await land(victim, planted);
		expect(withFlow.location).toMatch(/^\/login\?oauth=failed/);
		expect(sessionSet(withFlow.cookies)).toBe(false);
		const withoutFlow = await land(browser(), planted);
		expect(withoutFlow.location).toMatch(/^\/login\?oauth=expired/);
		expect(sessionSet(withoutFlow.cookies)).toBe(false);
	});

	test("an answer whose state is not this browser's comes back without a code and is refused", async () => {
		const walker = browser();
		const callback = await toCallback(walker, {
			tamper: (url) => url.searchParams.set('state', 'forged')
		});
		expect(callback.searchParams.has('code')).toBe(false);
		const landed = await land(walker, callback);
		expect(landed.location).toMatch(/^\/login\?oauth=failed/);
		expect(sessionSet(landed.cookies)).toBe(false);
	});

	test('a tampered redirect_uri is refused by the provider: no code goes anywhere', async () => {
		const walker = browser();
		const started = await begin(walker);
		const { url: authorize } = await walker.follow(
			await onward(started),
			(next) => next.pathname === '/auth'
		);
		authorize.searchParams.set('redirect_uri', 'https://evil.example/api/auth/callback/oidc');
		const response = await walker.request(authorize.href);
		expect(response.status).toBe(400);
		expect(response.headers.get('location')).toBeNull();
	});

	test('a hostile redirectTo lands on the default page, and one edited on the way is refused', async () => {
		const walker = browser();
		const landed = await land(walker, await toCallback(walker, { redirectTo: '//evil.example' }));
		expect(landed.location).toBe(`/${START.path}`);

		const edited = browser();
		const started = await begin(edited);
		const signin = new URL(await onward(started));
		signin.searchParams.set('redirectTo', 'https://evil.example/steal');
		const { url } = await edited.follow(signin.href, (next) => next.pathname === '/auth');
		expect(url.origin).not.toBe('https://evil.example');
		const locations: string[] = [];
		const page = (await edited.follow(url.href)).url;
		const answer = await edited.decide(page, 'ada', 'ada-password', 'allow');
		await edited.follow(new URL(answer.headers.get('location')!, page).href, (next) => {
			locations.push(next.href);
			return next.origin === 'https://evil.example' || atApp(next);
		});
		expect(locations.some((l) => l.startsWith('https://evil.example'))).toBe(false);
	});

	test('denying consent returns to /login with a message', async () => {
		const walker = browser();
		const callback = await toCallback(walker, { decision: 'deny' });
		const landed = await land(walker, callback);
		expect(landed.location).toBe(
			`/login?oauth=failed&provider=oidc&redirectTo=${encodeURIComponent(RETURN_TO)}`
		);
		expect(sessionSet(landed.cookies)).toBe(false);
		const login = await walker.request(`${APP}${landed.location}`);
		expect(await login.text()).toContain('Signing in with Offline OpenID was cancelled');
	});

	test('a provider that is down: a clear message at once, no flow and no session', async () => {
		await stack.oidc('pause');
		try {
			const walker = browser();
			const started = await begin(walker);
			expect(started.status).toBe(303);
			expect(started.headers.get('location')).toBe(
				`/login?oauth=down&provider=oidc&redirectTo=${encodeURIComponent(RETURN_TO)}`
			);
			expect(started.headers.getSetCookie()).toEqual([]);
			const login = await walker.request(`${APP}${started.headers.get('location')}`);
			expect(await login.text()).toContain('Offline OpenID is not answering right now');
		} finally {
			await stack.oidc('resume');
		}
	});
});

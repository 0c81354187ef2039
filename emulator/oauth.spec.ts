import { ConvexHttpClient } from 'convex/browser';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api.js';
import { Walker } from '../tests/support/oauth-walk.ts';
import { startEmulator, type Emulator } from './emulator.ts';
import { startOidcProvider, type OidcProvider } from './oidc/provider.ts';

// Where Convex Auth sends the browser back with its one-time code: the app, which is not running.
const SITE_URL = 'http://127.0.0.1:9';
let emulator: Emulator;
let oidc: OidcProvider;

beforeAll(async () => {
	oidc = await startOidcProvider();
	emulator = await startEmulator({ env: { ...oidc.env, SITE_URL } });
	await oidc.allowRedirect(`${emulator.siteUrl}/api/auth/callback/oidc`);
});
afterAll(async () => {
	await emulator?.close();
	await oidc?.close();
});

const client = () => new ConvexHttpClient(emulator.url);
const atApp = (url: URL) => url.origin === SITE_URL;

/** Starts a sign-in and walks it to the provider's page, as a browser would. */
async function start(walker = new Walker()) {
	const { redirect, verifier } = await client().action(api.auth.signIn, {
		provider: 'oidc',
		params: { redirectTo: '/back' }
	});
	const { response, url } = await walker.follow(redirect!);
	expect(response?.status).toBe(200);
	expect(url.origin).toBe(oidc.issuer);
	return { walker, page: url, verifier: verifier! };
}

/** Signs in at the provider and follows its answer back to the app's address. */
async function consent(
	walker: Walker,
	page: URL,
	user = 'ada',
	decision: 'allow' | 'deny' = 'allow'
) {
	const answer = await walker.decide(page, user, `${user}-password`, decision);
	expect(answer.status).toBe(303);
	return (await walker.follow(new URL(answer.headers.get('location')!, page).href, atApp)).url;
}

const redeem = (code: string, verifier: string) =>
	client().action(api.auth.signIn, { provider: 'oidc', params: { code }, verifier });

describe("Convex Auth's OAuth routes against the offline OpenID provider", () => {
	test('offers the provider by id and name', async () => {
		expect(await client().query(api.oauth.providers, {})).toEqual([
			{ id: 'oidc', name: 'Offline OpenID' }
		]);
	});

	test('a round trip hands the app a code that its verifier turns into a session', async () => {
		const { walker, page, verifier } = await start();
		const back = await consent(walker, page);
		expect(back.pathname).toBe('/back');
		const code = back.searchParams.get('code')!;
		expect(code).toMatch(/^\d{8}$/);
		const { tokens } = await redeem(code, verifier);
		expect(decodeJwt(tokens!.token)).toMatchObject({
			email: 'ada@example.test',
			iss: emulator.siteUrl
		});
		const methods = await new ConvexHttpClient(emulator.url, { auth: tokens!.token }).query(
			api.users.signInMethods,
			{}
		);
		expect(methods).toEqual(['oidc']);
	});

	test('a code is refused with any other verifier, and after its first use', async () => {
		const { walker, page, verifier } = await start();
		const other = await start();
		const code = (await consent(walker, page)).searchParams.get('code')!;
		expect((await redeem(code, other.verifier)).tokens).toBeNull();
		expect((await redeem(code, verifier)).tokens).not.toBeNull();
		expect((await redeem(code, verifier)).tokens).toBeNull();
	});

	test('a denied consent comes back without a code', async () => {
		const { walker, page } = await start();
		const back = await consent(walker, page, 'ada', 'deny');
		expect(back.pathname).toBe('/back');
		expect(back.searchParams.has('code')).toBe(false);
	});

	test("a callback whose state is not this browser's comes back without a code", async () => {
		const { walker, page } = await start();
		const answer = await walker.decide(page, 'ada', 'ada-password', 'allow');
		const callback = await walker.follow(
			new URL(answer.headers.get('location')!, page).href,
			(next) => next.pathname.startsWith('/api/auth/callback/')
		);
		callback.url.searchParams.set('state', 'forged');
		const back = (await walker.follow(callback.url.href, atApp)).url;
		expect(back.searchParams.has('code')).toBe(false);
	});
});

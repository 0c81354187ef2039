import { afterEach, describe, expect, it, vi } from 'vitest';

const URLS = {
	CONVEX_URL: undefined,
	CONVEX_SITE_URL: undefined,
	PUBLIC_CONVEX_URL: undefined,
	PUBLIC_CONVEX_SITE_URL: undefined,
	API_UPSTREAM_URL: undefined,
	PUBLIC_ORIGIN: undefined,
	SCOPED_TOKEN_KEYS: undefined,
	SCOPED_BACKEND_ORIGINS: [] as string[],
	PROFILE_API_URL: undefined
};
const SECRET = 'a'.repeat(64);

/** config.ts as the server starts it with these validated variables. */
async function start(
	vars: Partial<Record<keyof typeof URLS | 'AUTH_SERVER_SECRET', string | string[] | object[]>>,
	building = false
) {
	vi.resetModules();
	vi.doMock('$app/env', () => ({ building }));
	vi.doMock('$app/env/private', async (actual) => ({
		...(await actual()),
		...URLS,
		AUTH_SERVER_SECRET: SECRET,
		...vars
	}));
	return (await import('./config.ts')).config;
}

afterEach(() => {
	vi.doUnmock('$app/env');
	vi.doUnmock('$app/env/private');
});

describe('config', () => {
	it('reads the URLs `npx convex dev` writes for SvelteKit when CONVEX_URL is unset', async () => {
		const config = await start({
			PUBLIC_CONVEX_URL: 'https://b.convex.cloud',
			PUBLIC_CONVEX_SITE_URL: 'https://b-site.example'
		});
		expect(config).toMatchObject({
			convexUrl: 'https://b.convex.cloud',
			convexSiteUrl: 'https://b-site.example'
		});
		expect(config.backendOrigins).toContain('https://b-site.example');
	});

	it('prefers CONVEX_URL, deriving its site URL rather than taking the other name’s', async () => {
		const config = await start({
			CONVEX_URL: 'https://a.convex.cloud',
			PUBLIC_CONVEX_URL: 'https://b.convex.cloud',
			PUBLIC_CONVEX_SITE_URL: 'https://b.convex.site'
		});
		expect(config).toMatchObject({
			convexUrl: 'https://a.convex.cloud',
			convexSiteUrl: 'https://a.convex.site'
		});
	});

	it('stops with what to do in development and in production when no URL is set', async () => {
		const started = start({});
		await expect(started).rejects.toThrow(/neither CONVEX_URL nor PUBLIC_CONVEX_URL is set/);
		await expect(started).rejects.toThrow(/Developing: run `npm run dev`.*`npm run dev:offline`/s);
		await expect(started).rejects.toThrow(/Deploying: set CONVEX_URL/);
	});

	it('gives scoped origins and the profile API a token, scoped origins their own', async () => {
		const config = await start({
			CONVEX_URL: 'https://a.convex.cloud',
			PROFILE_API_URL: 'https://profile.example.com/v1',
			SCOPED_BACKEND_ORIGINS: ['https://partner.example.com'],
			SCOPED_TOKEN_KEYS: [{ kid: 'k', alg: 'ES256', d: 'x' }],
			PUBLIC_ORIGIN: 'https://app.example.com'
		});
		expect([...config.backendOrigins]).toEqual(
			expect.arrayContaining(['https://profile.example.com', 'https://partner.example.com'])
		);
		expect(config.scoped).toMatchObject({ issuer: 'https://app.example.com' });
		expect(config.scoped.origins).toEqual(new Set(['https://partner.example.com']));
	});

	it.each([
		['no signing key', { PUBLIC_ORIGIN: 'https://app.example.com' }],
		['no PUBLIC_ORIGIN to name as issuer', { SCOPED_TOKEN_KEYS: [{ kid: 'k' }] }]
	])('refuses to start with scoped origins and %s', async (_, vars) => {
		const started = start({
			CONVEX_URL: 'https://a.convex.cloud',
			SCOPED_BACKEND_ORIGINS: ['https://partner.example.com'],
			...vars
		});
		await expect(started).rejects.toThrow(/SCOPED_TOKEN_KEYS and PUBLIC_ORIGIN must be/);
	});

	it('builds without a URL', async () => {
		await expect(start({}, true)).resolves.toMatchObject({
			convexUrl: expect.stringContaining('.invalid')
		});
	});

	it.each([
		['is not set', undefined, /AUTH_SERVER_SECRET is not set/],
		['is too short to be a secret', 'x'.repeat(31), /AUTH_SERVER_SECRET is too short/]
	])('will not start when the server secret %s, saying how to set it', async (_, secret, why) => {
		const started = start({ CONVEX_URL: 'https://a.convex.cloud', AUTH_SERVER_SECRET: secret });
		await expect(started).rejects.toThrow(why);
		await expect(started).rejects.toThrow(/`npm run dev` generates one/);
		await expect(started).rejects.toThrow(/npx convex env set --prod AUTH_SERVER_SECRET/);
	});

	it('keeps the server secret for the sign-in calls, and builds without one', async () => {
		const config = await start({ CONVEX_URL: 'https://a.convex.cloud' });
		expect(config.serverSecret).toBe(SECRET);
		await expect(
			start({ CONVEX_URL: 'https://a.convex.cloud', AUTH_SERVER_SECRET: undefined }, true)
		).resolves.toMatchObject({ serverSecret: '' });
	});
});

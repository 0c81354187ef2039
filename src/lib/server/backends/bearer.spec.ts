import { describe, expect, it } from 'vitest';
import { createBearerFor, withBearer } from './bearer.ts';

const user = { id: 'alice', email: 'a@example.com', name: '' };
const signedIn = { user, token: 'convex-jwt' };
const SCOPED = 'https://partner.example.com';
const bearerFor = createBearerFor({
	origins: new Set([SCOPED]),
	mint: async (session, audience) => `scoped:${session.userId}:${audience}`
});

describe('bearerFor', () => {
	it("gives an allow-listed backend the user's Convex JWT, as the product promises", async () => {
		expect(await bearerFor('https://api.example.com', signedIn)).toBe('convex-jwt');
	});

	it('gives a scoped backend a token minted for it, never the Convex JWT', async () => {
		expect(await bearerFor(SCOPED, signedIn)).toBe(`scoped:alice:${SCOPED}`);
	});

	it('gives nobody a token for an anonymous request', async () => {
		expect(await bearerFor(SCOPED, { user: null, token: null })).toBeNull();
		expect(await bearerFor('https://api.example.com', { user: null, token: null })).toBeNull();
	});

	it('refuses to fall back to the Convex JWT when a scoped origin has no key', async () => {
		const unkeyed = createBearerFor({ origins: new Set([SCOPED]), mint: null });
		await expect(unkeyed(SCOPED, signedIn)).rejects.toThrow(/no key/);
	});
});

const BACKENDS = new Set(['https://api.example.com', 'https://happy-otter-123.convex.site']);

const browserRequest = (url: string, init: RequestInit = {}) =>
	new Request(url, {
		...init,
		headers: {
			cookie: 'session=secret; theme=dark',
			authorization: 'Basic client',
			...init.headers
		}
	});

describe('withBearer', () => {
	it('gives an allow-listed backend the Bearer token instead of the browser cookies', () => {
		const out = withBearer(browserRequest('https://api.example.com/notes?x=1'), 'jwt', BACKENDS);
		expect(out.url).toBe('https://api.example.com/notes?x=1');
		expect(out.headers.get('authorization')).toBe('Bearer jwt');
		expect(out.headers.has('cookie')).toBe(false);
	});

	it('works for every allow-listed origin', () => {
		const out = withBearer(
			browserRequest('https://happy-otter-123.convex.site/x'),
			'jwt',
			BACKENDS
		);
		expect(out.headers.get('authorization')).toBe('Bearer jwt');
	});

	it('sends neither a token nor the client Authorization header when there is no token', () => {
		const out = withBearer(browserRequest('https://api.example.com/notes'), null, BACKENDS);
		expect(out.headers.has('authorization')).toBe(false);
		expect(out.headers.has('cookie')).toBe(false);
	});

	// SvelteKit's inner fetch adds the browser's cookies back for subdomains of the app's host
	// (app on example.com, API on api.example.com) unless the request says credentials: 'omit'.
	it('asks SvelteKit not to add the browser cookies back', () => {
		const out = withBearer(browserRequest('https://api.example.com/notes'), 'jwt', BACKENDS);
		expect(out.credentials).toBe('omit');
	});

	it('keeps the method, other headers and body of a POST', async () => {
		const request = browserRequest('https://api.example.com/notes', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ title: 'hi' })
		});
		const out = withBearer(request, 'jwt', BACKENDS);
		expect(out.method).toBe('POST');
		expect(out.headers.get('content-type')).toBe('application/json');
		expect(await out.json()).toEqual({ title: 'hi' });
	});

	it.each([
		['an unrelated origin', 'https://evil.com/notes'],
		['a look-alike suffix', 'https://api.example.com.evil.com/notes'],
		['http instead of https', 'http://api.example.com/notes'],
		['another port', 'https://api.example.com:8443/notes'],
		['the backend origin inside the path', 'https://evil.com/https://api.example.com']
	])('leaves a request to %s exactly as it was', (_, url) => {
		const request = browserRequest(url);
		const out = withBearer(request, 'jwt', BACKENDS);
		expect(out).toBe(request);
		expect(out.headers.get('authorization')).toBe('Basic client');
		expect(out.headers.get('cookie')).toBe('session=secret; theme=dark');
	});
});

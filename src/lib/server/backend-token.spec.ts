import { describe, expect, it } from 'vitest';
import { createBearerFor } from './backend-token.ts';

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

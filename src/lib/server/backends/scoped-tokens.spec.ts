import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateScopedKey, loadKeySet, type KeySet } from './scoped-keys.ts';
import { SCOPED_TOKEN_SECONDS, createScopedTokens } from './scoped-tokens.ts';

const ISSUER = 'https://app.example.com';
const A = 'https://reports.example.com';
const B = 'https://billing.example.com';
const alice = { token: 'convex-jwt-of-alice-session', userId: 'alice' };

async function setup(alg: 'ES256' | 'RS256' = 'ES256') {
	const real = await loadKeySet([await generateScopedKey(alg)]);
	let signatures = 0;
	// Every signature reads the signing key once: counting the reads counts the signatures.
	const signing = {
		...real.signing,
		get key() {
			return (signatures++, real.signing.key);
		}
	};
	const keys: Promise<KeySet> = Promise.resolve({ ...real, signing });
	let clock = Date.parse('2026-01-01T00:00:00Z');
	const mint = createScopedTokens({ keys, issuer: ISSUER, now: () => clock });
	const verifyFor = async (jwt: string, audience: string) =>
		(
			await jwtVerify(jwt, createLocalJWKSet((await keys).jwks), {
				issuer: ISSUER,
				audience,
				currentDate: new Date(clock)
			})
		).payload;
	return {
		mint,
		keys,
		verifyFor,
		signatures: () => signatures,
		advance: (ms: number) => (clock += ms)
	};
}

describe('scoped tokens', () => {
	it.each(['ES256', 'RS256'] as const)(
		'are %s JWTs for one backend: aud its origin, sub the user, iss the app, minutes long',
		async (alg) => {
			const { mint, keys, verifyFor } = await setup(alg);
			const jwt = await mint(alice, A);
			const claims = await verifyFor(jwt, A);
			expect(claims).toMatchObject({ iss: ISSUER, aud: A, sub: 'alice' });
			expect(claims.exp! - claims.iat!).toBe(SCOPED_TOKEN_SECONDS);
			expect(decodeProtectedHeader(jwt)).toMatchObject({ alg, kid: (await keys).signing.kid });
		}
	);

	it('carry nothing of the Convex JWT they were minted for', async () => {
		const { mint } = await setup();
		const jwt = await mint(alice, A);
		expect(Buffer.from(jwt.split('.')[1], 'base64url').toString()).not.toContain(alice.token);
	});

	it('are refused by every audience but their own', async () => {
		const { mint, verifyFor } = await setup();
		const forA = await mint(alice, A);
		await expect(verifyFor(forA, B)).rejects.toThrow(/aud/);
		await expect(verifyFor(forA, 'convex')).rejects.toThrow(/aud/);
	});

	it('are signed once per session and audience, then served from the cache', async () => {
		const { mint, signatures } = await setup();
		const first = await mint(alice, A);
		expect(await mint(alice, A)).toBe(first);
		expect(await mint(alice, B)).not.toBe(first);
		expect(await mint({ token: 'another-session', userId: 'alice' }, A)).not.toBe(first);
		expect(signatures()).toBe(3);
	});

	it('share one signature between parallel requests of a session', async () => {
		const { mint, signatures } = await setup();
		const all = await Promise.all(Array.from({ length: 20 }, () => mint(alice, A)));
		expect(new Set(all).size).toBe(1);
		expect(signatures()).toBe(1);
	});

	it('are replaced a minute before they expire, so a backend never gets a nearly expired one', async () => {
		const { mint, verifyFor, advance } = await setup();
		const first = await mint(alice, A);
		advance((SCOPED_TOKEN_SECONDS - 61) * 1000);
		expect(await mint(alice, A)).toBe(first);
		advance(2000);
		const second = await mint(alice, A);
		expect(second).not.toBe(first);
		const claims = await verifyFor(second, A);
		expect(claims.exp! * 1000 - Date.parse('2026-01-01T00:00:00Z')).toBeGreaterThan(
			(SCOPED_TOKEN_SECONDS + 60) * 1000
		);
	});
});

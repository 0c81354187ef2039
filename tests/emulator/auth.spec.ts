import { ConvexHttpClient } from 'convex/browser';
import { SignJWT, createRemoteJWKSet, generateKeyPair, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from '../../convex/_generated/api';
import { startEmulator, type Emulator } from './emulator.ts';
import { mintToken, signUp } from './test-helpers.ts';

let emulator: Emulator;
let user: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
	emulator = await startEmulator();
	user = await signUp(emulator.url);
});
afterAll(() => emulator?.close());

/** What ConvexHttpClient throws for a refused token: the response body, verbatim. */
async function refusal(token: string) {
	const client = new ConvexHttpClient(emulator.url);
	client.setAuth(token);
	const error = await client.query(api.users.me, {}).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(Error);
	return JSON.parse((error as Error).message) as { code: string; message: string };
}

describe('bearer tokens', () => {
	test('the token from sign-in verifies against the keys the site serves', async () => {
		const jwks = createRemoteJWKSet(new URL(`${emulator.siteUrl}/.well-known/jwks.json`));
		const { payload } = await jwtVerify(user.token, jwks, {
			issuer: emulator.siteUrl,
			audience: 'convex'
		});
		expect(payload.sub).toMatch(/\|/);
		expect(emulator.env.CONVEX_SITE_URL).toBe(emulator.siteUrl);
	});

	test('an expired token is refused as Unauthenticated', async () => {
		const sub = JSON.parse(atob(user.token.split('.')[1])).sub as string;
		const expired = await mintToken(emulator.env, { sub, expiresInSeconds: -5 });
		expect(await refusal(expired)).toEqual({
			code: 'Unauthenticated',
			message: expect.stringContaining('Could not verify OIDC token claim')
		});
	});

	test('a token signed with another key is refused as Unauthenticated', async () => {
		const { privateKey } = await generateKeyPair('RS256');
		const forged = await new SignJWT({})
			.setProtectedHeader({ alg: 'RS256' })
			.setSubject(JSON.parse(atob(user.token.split('.')[1])).sub as string)
			.setIssuer(emulator.siteUrl)
			.setAudience('convex')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		expect((await refusal(forged)).code).toBe('Unauthenticated');
	});

	test('a token from another issuer or for another audience matches no provider', async () => {
		expect(
			(await refusal(await mintToken(emulator.env, { iss: 'https://evil.example' }))).code
		).toBe('NoAuthProvider');
		expect((await refusal(await mintToken(emulator.env, { aud: 'not-convex' }))).code).toBe(
			'NoAuthProvider'
		);
	});

	test('garbage and non-Bearer authorization headers are refused with 401', async () => {
		expect((await refusal('not-a-jwt')).code).toBe('InvalidAuthHeader');
		const response = await fetch(`${emulator.url}/api/query`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: 'Basic dXNlcjpwYXNz' },
			body: JSON.stringify({ path: 'users:me', args: [{}] })
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ code: 'InvalidAuthHeader' });
	});

	test('a valid token for a user that does not exist is simply nobody', async () => {
		const stranger = new ConvexHttpClient(emulator.url);
		stranger.setAuth(await mintToken(emulator.env, { sub: 'missing|missing' }));
		expect(await stranger.query(api.users.me, {})).toBeNull();
	});
});

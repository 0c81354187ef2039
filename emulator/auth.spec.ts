import { ConvexHttpClient } from 'convex/browser';
import { ConvexError, type Value } from 'convex/values';
import { SignJWT, createRemoteJWKSet, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { mintToken, emulatorWithUser } from './test-helpers.ts';

const env = emulatorWithUser();

/** What ConvexHttpClient throws for a refused token: the response body, verbatim. */
async function refusal(token: string) {
	const client = new ConvexHttpClient(env.emulator.url);
	client.setAuth(token);
	const error = await client.query(api.users.me, {}).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(Error);
	return JSON.parse((error as Error).message) as { code: string; message: string };
}

describe('bearer tokens', () => {
	test('the token from sign-in verifies against the keys the site serves', async () => {
		const jwks = createRemoteJWKSet(new URL(`${env.emulator.siteUrl}/.well-known/jwks.json`));
		const { payload } = await jwtVerify(env.user.token, jwks, {
			issuer: env.emulator.siteUrl,
			audience: 'convex'
		});
		expect(payload.sub).toMatch(/\|/);
		expect(env.emulator.env.CONVEX_SITE_URL).toBe(env.emulator.siteUrl);
	});

	test('an expired token is refused as Unauthenticated', async () => {
		const sub = JSON.parse(atob(env.user.token.split('.')[1])).sub as string;
		const expired = await mintToken(env.emulator.env, { sub, expiresInSeconds: -5 });
		expect(await refusal(expired)).toEqual({
			code: 'Unauthenticated',
			message: expect.stringContaining('Could not verify OIDC token claim')
		});
	});

	test('a token signed with another key is refused as Unauthenticated', async () => {
		const { privateKey } = await generateKeyPair('RS256');
		const forged = await new SignJWT({})
			.setProtectedHeader({ alg: 'RS256' })
			.setSubject(JSON.parse(atob(env.user.token.split('.')[1])).sub as string)
			.setIssuer(env.emulator.siteUrl)
			.setAudience('convex')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
		expect((await refusal(forged)).code).toBe('Unauthenticated');
	});

	test('a token from another issuer or for another audience matches no provider', async () => {
		expect(
			(await refusal(await mintToken(env.emulator.env, { iss: 'https://evil.example' }))).code
		).toBe('NoAuthProvider');
		expect((await refusal(await mintToken(env.emulator.env, { aud: 'not-convex' }))).code).toBe(
			'NoAuthProvider'
		);
	});

	test('garbage and non-Bearer authorization headers are refused with 401', async () => {
		expect((await refusal('not-a-jwt')).code).toBe('InvalidAuthHeader');
		const response = await fetch(`${env.emulator.url}/api/query`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: 'Basic dXNlcjpwYXNz' },
			body: JSON.stringify({ path: 'users:me', args: [{}] })
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ code: 'InvalidAuthHeader' });
	});

	test('a valid token for a user that does not exist is simply nobody', async () => {
		const stranger = new ConvexHttpClient(env.emulator.url);
		stranger.setAuth(await mintToken(env.emulator.env, { sub: 'missing|missing' }));
		// The deployment accepts the token (functions see an identity)...
		expect(await stranger.query(api.auth.isAuthenticated, {})).toBe(true);
		// ...and the app finds no user behind it: its own refusal, not the deployment's.
		const error = await stranger.query(api.users.me, {}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ConvexError);
		expect((error as ConvexError<Value>).data).toEqual({ code: 'UNAUTHENTICATED' });
	});
});

// What the emulator's specs share: an emulator with a signed-up user, what the app's server adds to
// a password flow, tokens that go wrong, live subscriptions.
import { ConvexClient, ConvexHttpClient } from 'convex/browser';
import type { FunctionArgs, FunctionReference, FunctionReturnType } from 'convex/server';
import { SignJWT, importPKCS8 } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { api } from '../convex/_generated/api';
import { startEmulator, type Emulator } from './emulator.ts';

let accounts = 0;
let clients = 0;

/**
 * What the app's server adds to a password flow: the emulator's server secret (it sets it in this
 * process's env while it runs) and a client IP, a fresh one each call so no test meets the
 * per-IP limits by accident.
 */
export function fromServer() {
	return {
		serverSecret: process.env.AUTH_SERVER_SECRET,
		clientIp: `192.0.2.${(clients++ % 254) + 1}`
	};
}

/** Signs a fresh user up through the real Password flow; returns the tokens and a client using them. */
export async function signUp(url: string) {
	const email = `user${++accounts}-${Date.now()}@example.com`;
	const result = (await new ConvexHttpClient(url).action(api.auth.signIn, {
		provider: 'password',
		params: { ...fromServer(), email, password: 'correct horse battery', flow: 'signUp' }
	})) as { tokens: { token: string; refreshToken: string } | null };
	if (result.tokens === null) throw new Error('sign-up returned no tokens');
	const client = new ConvexHttpClient(url);
	client.setAuth(result.tokens.token);
	return { email, ...result.tokens, client };
}

/** Resolves with the first value of a live subscription that passes `accept`. */
export function nextValue<Q extends FunctionReference<'query'>>(
	client: ConvexClient,
	query: Q,
	args: FunctionArgs<Q>,
	accept: (value: FunctionReturnType<Q>) => boolean,
	timeoutMs = 10_000
): Promise<FunctionReturnType<Q>> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			unsubscribe();
			reject(new Error(`no accepted value for ${String(query)} within ${timeoutMs} ms`));
		}, timeoutMs);
		const unsubscribe = client.onUpdate(
			query,
			args,
			(value) => {
				if (!accept(value)) return;
				clearTimeout(timer);
				// onUpdate may call back before it has returned the unsubscribe function.
				queueMicrotask(() => unsubscribe());
				resolve(value);
			},
			reject
		);
	});
}

/** A JWT signed with the emulator's own key, with whatever claims a test needs to go wrong. */
export async function mintToken(
	env: Record<string, string>,
	claims: { sub?: string; iss?: string; aud?: string; expiresInSeconds?: number }
) {
	const key = await importPKCS8(env.JWT_PRIVATE_KEY, 'RS256');
	const now = Math.floor(Date.now() / 1000);
	return await new SignJWT({})
		.setProtectedHeader({ alg: 'RS256' })
		.setSubject(claims.sub ?? 'nobody|nosession')
		.setIssuer(claims.iss ?? env.CONVEX_SITE_URL)
		.setAudience(claims.aud ?? 'convex')
		.setIssuedAt(now)
		.setExpirationTime(now + (claims.expiresInSeconds ?? 3600))
		.sign(key);
}

export function liveClient(url: string): ConvexClient {
	return new ConvexClient(url, { logger: false });
}

/**
 * An emulator for the calling spec file, with one signed-up user: started before its tests, closed
 * after them. The fields are set once the file's tests run.
 */
export function emulatorWithUser() {
	const env = {} as { emulator: Emulator; user: Awaited<ReturnType<typeof signUp>> };
	beforeAll(async () => {
		env.emulator = await startEmulator();
		env.user = await signUp(env.emulator.url);
	});
	afterAll(() => env.emulator?.close());
	return env;
}

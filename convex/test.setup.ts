/// <reference types="vite/client" />
// Test-only helpers for convex/*.spec.ts. The Convex CLI skips files whose name has more than one
// dot, so this file is never deployed.
import rateLimiter from '@convex-dev/rate-limiter/test';
import resend from '@convex-dev/resend/test';
import { convexTest } from 'convex-test';
import { decodeJwt, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { expect } from 'vitest';
import { api } from './_generated/api';
import schema from './schema';

export const SITE = 'http://127.0.0.1:3211';
/** The secret the app's server shares with the deployment (AUTH_SERVER_SECRET). */
export const SERVER_SECRET = 'test-server-secret-0123456789abcdefghijklmnop';
/** The client address signIn() reports unless told another. */
export const CLIENT_IP = '198.51.100.7';
/** What the app's server adds to every password flow's params: its secret and the client's IP. */
export const fromServer = { serverSecret: SERVER_SECRET, clientIp: CLIENT_IP };

const modules = import.meta.glob(['./**/*.*s', '!./**/*.spec.ts', '!./**/*.setup.ts']);

/** Fresh RS256 keys and the env vars Convex Auth signs and serves them from. */
export async function setAuthEnv(): Promise<void> {
	const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
	process.env.JWT_PRIVATE_KEY = (await exportPKCS8(privateKey)).trimEnd().replace(/\n/g, ' ');
	const jwk = { ...(await exportJWK(publicKey)), use: 'sig', alg: 'RS256' };
	process.env.JWKS = JSON.stringify({ keys: [jwk] });
	process.env.CONVEX_SITE_URL = SITE;
	process.env.SITE_URL = 'http://127.0.0.1:5173';
	process.env.AUTH_LOG_LEVEL = 'WARN'; // Convex Auth logs every `auth:store` call at INFO
	process.env.AUTH_SERVER_SECRET = SERVER_SECRET;
	// Specs sign in many times from CLIENT_IP; the spec of this limit sets its own.
	process.env.AUTH_SIGN_IN_PER_IP_PER_MINUTE = '1000';
}

type TransactionLimits = Partial<
	Record<'documentsRead' | 'documentsWritten' | 'databaseQueries', number>
>;

/** With `transactionLimits`, a transaction over Convex's caps (`true`) or the ones given fails. */
export function newTest(transactionLimits: TransactionLimits | boolean = false) {
	const t = convexTest({ schema, modules, transactionLimits });
	rateLimiter.register(t); // as convex/convex.config.ts installs them
	resend.register(t);
	return t;
}
export type Test = ReturnType<typeof newTest>;
export type Tokens = { token: string; refreshToken: string };

export async function signIn(
	t: Test,
	email: string,
	password = 'correct horse',
	flow: 'signUp' | 'signIn' = 'signUp',
	clientIp = CLIENT_IP
): Promise<Tokens> {
	const { tokens } = await t.action(api.auth.signIn, {
		provider: 'password',
		params: { ...fromServer, email, password, flow, clientIp }
	});
	expect(tokens).toBeTruthy();
	return tokens as Tokens;
}

/** The caller Convex would derive from this JWT (convex-test never reads tokens itself). */
export function as(t: Test, token: string) {
	const { sub, iss } = decodeJwt(token);
	return t.withIdentity({ subject: sub, issuer: iss, tokenIdentifier: `${iss}|${sub}` });
}

/** The `data` of a ConvexError thrown by `promise` (fails if it resolves). */
export async function errorData(promise: Promise<unknown>): Promise<unknown> {
	const error = await promise.then(
		() => expect.fail('expected a ConvexError'),
		(e: unknown) => e
	);
	return (error as { data?: unknown }).data;
}

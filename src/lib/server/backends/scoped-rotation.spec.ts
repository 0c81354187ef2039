// A key rotation as docs/other-backends.md describes it, against the sample backend verifying over
// HTTP with its JWKS cache: at no step does a signed-in user's backend call fail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { startProfileApi } from '../../../../examples/profile-api/server.ts';
import { generateScopedKey, loadKeySet, type PrivateJwk } from './scoped-keys.ts';
import { createScopedTokens } from './scoped-tokens.ts';

const ISSUER = 'https://app.example.com';
const MINUTE = 60_000;
/** What the app's /.well-known/jwks.json serves: the key list of the deployment now running. */
let published: { keys: JWK[] } = { keys: [] };
const jwksServer = createServer((_req, res) => res.end(JSON.stringify(published)));
let backend: Awaited<ReturnType<typeof startProfileApi>>;

beforeAll(async () => {
	await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
	const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/`;
	backend = await startProfileApi({ port: 0, issuer: ISSUER, audience: 'http://b', jwksUrl });
});
afterAll(async () => (await backend.close(), jwksServer.close()));
afterEach(() => void vi.useRealTimers());

/** A deployment with SCOPED_TOKEN_KEYS = `list`: a new process, so an empty token cache. */
async function deploy(list: PrivateJwk[]) {
	const keys = loadKeySet(list);
	published = (await keys).jwks;
	const mint = createScopedTokens({ keys, issuer: ISSUER });
	return () => mint({ token: 'the-same-convex-session', userId: 'alice' }, 'http://b');
}
const accepted = async (jwt: string) =>
	(await fetch(`${backend.url}/profile`, { headers: { authorization: `Bearer ${jwt}` } })).status;
const kid = (jwt: string) => decodeProtectedHeader(jwt).kid;
const later = (ms: number) => vi.setSystemTime(Date.now() + ms);

it('rotates the signing key without a signed-in user ever being refused', async () => {
	vi.useFakeTimers({ toFake: ['Date'] });
	const [k1, k2] = [await generateScopedKey(), await generateScopedKey('RS256')];

	let mint = await deploy([k1]);
	const before = await mint();
	expect(await accepted(before)).toBe(200);

	// 1. Publish the new key next to the old one, which still signs.
	mint = await deploy([k1, k2]);
	expect(await accepted(before)).toBe(200);
	// 2. Wait until every backend's cached key set has expired (10 minutes for the sample).
	later(11 * MINUTE);
	const lastOfOld = await mint();
	expect(kid(lastOfOld)).toBe(k1.kid);
	expect(await accepted(lastOfOld)).toBe(200);

	// 3. Sign with the new key; tokens of the old one stay good until they expire.
	mint = await deploy([k2, k1]);
	const firstOfNew = await mint();
	expect(kid(firstOfNew)).toBe(k2.kid);
	expect(await accepted(firstOfNew)).toBe(200);
	expect(await accepted(lastOfOld)).toBe(200);

	// 4. Once the old key's last token has expired, retire it.
	later(6 * MINUTE);
	mint = await deploy([k2]);
	expect(await accepted(await mint())).toBe(200);
	later(11 * MINUTE);
	expect(await accepted(await mint())).toBe(200);
	// The retired key signs nothing the backend accepts any more, leaked or not.
	const retired = createScopedTokens({ keys: loadKeySet([k1]), issuer: ISSUER });
	expect(await accepted(await retired({ token: 't', userId: 'alice' }, 'http://b'))).toBe(401);
});

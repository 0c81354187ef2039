// What a scoped backend token costs a request, in-process: a cached one (the same session and
// backend within its lifetime) against minting, i.e. a signature, every time.
import { pathToFileURL } from 'node:url';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
	generateScopedKey,
	loadKeySet,
	type ScopedAlg
} from '../src/lib/server/backends/scoped-keys.ts';
import { createScopedTokens } from '../src/lib/server/backends/scoped-tokens.ts';

const ISSUER = 'https://app.example.com';
const BACKEND = 'https://partner.example.com';

async function perCallMicros(fn: (i: number) => Promise<unknown>, iterations: number) {
	for (let i = 0; i < 200; i++) await fn(i); // warm-up
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) await fn(i);
	return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

async function bench(alg: ScopedAlg) {
	const keys = loadKeySet([await generateScopedKey(alg)]);
	const mint = createScopedTokens({ keys, issuer: ISSUER });
	const session = { token: 'convex-jwt-of-one-session', userId: 'user1' };
	// Precondition: what the cache returns is a token the backend accepts.
	const jwks = createLocalJWKSet((await keys).jwks);
	await jwtVerify(await mint(session, BACKEND), jwks, { issuer: ISSUER, audience: BACKEND });
	const cachedUs = await perCallMicros(() => mint(session, BACKEND), 50_000);
	// A session of its own every call: the cache never hits, every call signs.
	const uncachedUs = await perCallMicros(
		(i) => mint({ token: `session-${alg}-${i}`, userId: 'user1' }, BACKEND),
		2_000
	);
	return { cachedUs, uncachedUs };
}

export async function benchScopedTokens() {
	return { es256: await bench('ES256'), rs256: await bench('RS256') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const { es256, rs256 } = await benchScopedTokens();
	const f = (n: number) => n.toFixed(1);
	console.log(
		`scoped token, cached:            ${f(es256.cachedUs)} µs (RS256 key: ${f(rs256.cachedUs)} µs)`
	);
	console.log(
		`scoped token, minted every call: ${f(es256.uncachedUs)} µs ES256, ${f(rs256.uncachedUs)} µs RS256`
	);
}

// What the hooks cost per request, in-process: parse the Cookie header and verify the JWT.
import { parseCookie } from 'cookie';
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair } from 'jose';
import { createVerifier } from '../src/lib/server/tokens.ts';

async function perCallMicros(fn: () => Promise<unknown>, iterations: number) {
	for (let i = 0; i < 200; i++) await fn(); // warm-up
	const start = process.hrtime.bigint();
	for (let i = 0; i < iterations; i++) await fn();
	return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

export async function benchHooks() {
	const issuer = 'https://bench.convex.site';
	const { privateKey, publicKey } = await generateKeyPair('RS256');
	const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256' }] });
	const sign = () =>
		new SignJWT({
			sub: 'user|session',
			email: 'a@example.com',
			name: 'A',
			jti: Math.random().toString(36)
		})
			.setProtectedHeader({ alg: 'RS256' })
			.setIssuer(issuer)
			.setAudience('convex')
			.setIssuedAt()
			.setExpirationTime('1h')
			.sign(privateKey);
	const token = await sign();
	const header = `convex-jwt=${token}; convex-refresh=abc%7Cdef; theme=dark; _ga=GA1.2.3.4`;

	const cached = createVerifier({ issuer, keys });
	const cachedUs = await perCallMicros(async () => {
		const jwt = parseCookie(header)['convex-jwt']!;
		const result = await cached(jwt);
		if (result.status !== 'valid') throw new Error('precondition: the token must verify');
	}, 20_000);

	// A fresh verifier per call: the signature check the cache saves on every request but the first.
	const tokens = await Promise.all(Array.from({ length: 500 }, sign));
	let i = 0;
	const uncachedUs = await perCallMicros(async () => {
		const result = await createVerifier({ issuer, keys })(tokens[i++ % tokens.length]);
		if (result.status !== 'valid') throw new Error('precondition: the token must verify');
	}, 2_000);
	return { cachedUs, uncachedUs };
}

import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const SCOPED_ALGS = ['ES256', 'RS256'] as const;
export type ScopedAlg = (typeof SCOPED_ALGS)[number];

/** A private key from SCOPED_TOKEN_KEYS: a JWK with its `kid` and `alg`. */
export type PrivateJwk = JWK & { kid: string; alg: ScopedAlg; d: string };

export type KeySet = {
	/** The first key of the list: every new token is signed with it. */
	signing: { key: CryptoKey; kid: string; alg: ScopedAlg };
	/** Every key's public half, for `/.well-known/jwks.json` (two during a rotation). */
	jwks: { keys: JWK[] };
};

/**
 * Reads SCOPED_TOKEN_KEYS: a JSON list of private JWKs, the signing key first. A list so that two
 * keys can be published together while a rotation is under way (docs/other-backends.md).
 */
export function parseKeyList(text: string): PrivateJwk[] {
	let list: unknown;
	try {
		list = JSON.parse(text);
	} catch {
		throw new Error('SCOPED_TOKEN_KEYS must be a JSON list of private JWKs');
	}
	if (!Array.isArray(list) || list.length === 0)
		throw new Error('SCOPED_TOKEN_KEYS must be a non-empty JSON list of private JWKs');
	const kids = new Set<string>();
	for (const key of list as Partial<PrivateJwk>[]) {
		if (typeof key?.kid !== 'string' || !key.kid || kids.has(key.kid))
			throw new Error('SCOPED_TOKEN_KEYS: every key needs its own "kid"');
		if (!SCOPED_ALGS.includes(key.alg as ScopedAlg))
			throw new Error(`SCOPED_TOKEN_KEYS: key "${key.kid}" needs "alg": ES256 or RS256`);
		if (typeof key.d !== 'string') throw new Error(`SCOPED_TOKEN_KEYS: key "${key.kid}" is public`);
		kids.add(key.kid);
	}
	return list as PrivateJwk[];
}

/** Only what a verifier needs: never `d` or the other private parameters. */
function publicHalf({ kty, crv, x, y, n, e, kid, alg }: PrivateJwk): JWK {
	const parts = kty === 'EC' ? { kty, crv, x, y } : { kty, n, e };
	return { ...parts, kid, alg, use: 'sig' };
}

export async function loadKeySet(keys: PrivateJwk[]): Promise<KeySet> {
	const [first] = keys;
	const key = (await importJWK(first, first.alg)) as CryptoKey;
	return {
		signing: { key, kid: first.kid, alg: first.alg },
		jwks: { keys: keys.map(publicHalf) }
	};
}

/** A new private key in SCOPED_TOKEN_KEYS' format, for dev, offline stacks and rotations. */
export async function generateScopedKey(alg: ScopedAlg = 'ES256'): Promise<PrivateJwk> {
	const { privateKey } = await generateKeyPair(alg, { extractable: true });
	const jwk = await exportJWK(privateKey);
	const kid = `${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`;
	return { ...jwk, kid, alg } as PrivateJwk;
}

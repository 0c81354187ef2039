import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';

/** The two variables Convex Auth signs and publishes its JWTs with, in the formats it expects. */
export type AuthKeyEnv = { JWT_PRIVATE_KEY: string; JWKS: string };

/**
 * A fresh RS256 key pair per emulator, so no key ever has to live in the repository. Convex Auth
 * reads the PEM from one env line, hence newlines become spaces (it turns them back itself).
 */
export async function generateAuthKeys(): Promise<AuthKeyEnv> {
	const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
	const pem = await exportPKCS8(privateKey);
	const jwk = await exportJWK(publicKey);
	return {
		JWT_PRIVATE_KEY: pem.trimEnd().replace(/\n/g, ' '),
		JWKS: JSON.stringify({ keys: [{ use: 'sig', alg: 'RS256', ...jwk }] })
	};
}

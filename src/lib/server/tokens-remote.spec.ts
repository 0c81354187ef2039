import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from './tokens.ts';

/** A stand-in for the Convex site serving its JWKS, counting every request it gets. */
let server: Server;
let issuer: string;
let privateKey: CryptoKey;
let jwk: JWK;
let requests: string[] = [];
let status = 200;

beforeAll(async () => {
	const pair = await generateKeyPair('RS256', { extractable: true });
	privateKey = pair.privateKey;
	jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
	server = createServer((req, res) => {
		requests.push(req.url ?? '');
		if (status !== 200) return void res.writeHead(status).end('backend down');
		res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
	requests = [];
	status = 200;
});

const sign = (sub: string, iss = issuer) =>
	new SignJWT({ email: `${sub}@example.com`, name: sub })
		.setProtectedHeader({ alg: 'RS256', kid: 'k1' })
		.setSubject(`${sub}|session-${sub}`)
		.setIssuer(iss)
		.setAudience('convex')
		.setIssuedAt()
		.setExpirationTime('1h')
		.sign(privateKey);

describe('createVerifier with the remote key set', () => {
	it('fetches the JWKS from the issuer once for many different tokens', async () => {
		const verify = createVerifier({ issuer });
		const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => sign(`user${i}`)));
		const first = await Promise.all(tokens.slice(0, 10).map(verify));
		const rest = [];
		for (const token of tokens.slice(10)) rest.push(await verify(token));
		expect([...first, ...rest].map((r) => r.status)).toEqual(Array(20).fill('valid'));
		expect(requests).toEqual(['/.well-known/jwks.json']);
	});

	it('reports unavailable when the JWKS endpoint answers 503', async () => {
		status = 503;
		expect(await createVerifier({ issuer })(await sign('ada'))).toEqual({ status: 'unavailable' });
		expect(requests).toHaveLength(1);
	});

	it('verifies again once the JWKS endpoint has recovered', async () => {
		status = 503;
		const verify = createVerifier({ issuer });
		const token = await sign('ada');
		expect((await verify(token)).status).toBe('unavailable');
		status = 200;
		expect((await verify(token)).status).toBe('valid');
	});

	it('reports unavailable when nothing listens at the issuer', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const down = `http://127.0.0.1:${port}`;
		expect(await createVerifier({ issuer: down })(await sign('ada', down))).toEqual({
			status: 'unavailable'
		});
	});
});

// A second backend, as a team might write one in any language: it trusts nothing but a Bearer JWT it
// verifies itself against a JWKS, and keeps each user's profile settings.
// Run it: PROFILE_API_ISSUER=https://app.example.com PROFILE_API_AUDIENCE=http://127.0.0.1:3212 \
//   node examples/profile-api/server.ts        (docs/other-backends.md says which values to use)
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { parseSettings, readJson, type Settings } from './settings.ts';

export type ProfileApiOptions = {
	/** The `iss` every token must carry: the Convex site URL, or the app's origin for scoped tokens. */
	issuer: string;
	/** The `aud` it must contain: "convex" for Convex JWTs, this service's own origin for scoped ones. */
	audience: string;
	/** Where the issuer publishes its keys; default `<issuer>/.well-known/jwks.json`. */
	jwksUrl?: string;
	/** How far the issuer's clock may be off, in seconds (`exp`, `iat`, `nbf`); default 30. */
	clockToleranceSeconds?: number;
	/** How long fetched keys are trusted before a refetch; default 10 minutes (jose's). */
	jwksCacheMaxAgeMs?: number;
};

type Outcome = { userId: string } | { status: 401 | 503; error: string };

/** The user a verified token stands for, or why there is none (HTTP status). */
async function authenticate(
	req: IncomingMessage,
	keys: JWTVerifyGetKey,
	o: ProfileApiOptions
): Promise<Outcome> {
	const [scheme, token] = (req.headers.authorization ?? '').split(' ');
	if (scheme !== 'Bearer' || !token) return { status: 401, error: 'missing_token' };
	try {
		const { payload } = await jwtVerify(token, keys, {
			issuer: o.issuer,
			audience: o.audience,
			algorithms: ['ES256', 'RS256'],
			requiredClaims: ['sub', 'exp'],
			clockTolerance: o.clockToleranceSeconds ?? 30
		});
		// Convex JWTs say `<userId>|<sessionId>`, scoped tokens `<userId>`: the user is the first part.
		const userId = payload.sub!.split('|')[0];
		if (!userId) return { status: 401, error: 'invalid_token' };
		return { userId };
	} catch (e) {
		// Keys that cannot be fetched say nothing about the token: the caller may retry.
		const keysDown = !(e instanceof errors.JOSEError) || e.code === 'ERR_JOSE_GENERIC';
		return keysDown || e instanceof errors.JWKSTimeout
			? { status: 503, error: 'keys_unavailable' }
			: { status: 401, error: 'invalid_token' };
	}
}

function send(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
) {
	res.writeHead(status, {
		'content-type': 'application/json',
		'cache-control': 'no-store',
		...headers
	});
	res.end(JSON.stringify(body));
}

/** The request handler: `GET /profile` and `PUT /profile`, for the user the token names. */
export function createProfileApi(o: ProfileApiOptions) {
	const keys = createRemoteJWKSet(new URL(o.jwksUrl ?? `${o.issuer}/.well-known/jwks.json`), {
		cacheMaxAge: o.jwksCacheMaxAgeMs ?? 600_000,
		timeoutDuration: 5_000
	});
	const profiles = new Map<string, Settings>(); // in memory: this is a sample
	return async (req: IncomingMessage, res: ServerResponse) => {
		if (new URL(req.url ?? '/', 'http://x').pathname !== '/profile')
			return send(res, 404, { error: 'not_found' });
		if (req.method !== 'GET' && req.method !== 'PUT')
			return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, PUT' });
		const who = await authenticate(req, keys, o);
		if ('status' in who) {
			// RFC 6750: tell the caller it needs (another) Bearer token.
			const challenge = who.error === 'invalid_token' ? 'Bearer error="invalid_token"' : 'Bearer';
			return send(res, who.status, { error: who.error }, { 'www-authenticate': challenge });
		}
		if (req.method === 'GET') {
			const settings = profiles.get(who.userId) ?? { displayName: '', theme: 'system' };
			return send(res, 200, { user: who.userId, settings });
		}
		let body: unknown;
		try {
			body = await readJson(req);
		} catch (e) {
			return send(res, e instanceof RangeError ? 413 : 400, { error: 'bad_body' });
		}
		const settings = parseSettings(body);
		if (!settings) return send(res, 400, { error: 'invalid_settings' });
		profiles.set(who.userId, settings);
		return send(res, 200, { user: who.userId, settings });
	};
}

/** Listens on `port` (0: any free one) on loopback unless `host` says otherwise. */
export async function startProfileApi(o: ProfileApiOptions & { port: number; host?: string }) {
	const server = createServer(createProfileApi(o));
	await new Promise<void>((resolve) => server.listen(o.port, o.host ?? '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))
	};
}

if (import.meta.main) {
	const {
		PROFILE_API_ISSUER: issuer,
		PROFILE_API_AUDIENCE: audience,
		PROFILE_API_JWKS_URL
	} = process.env;
	if (!issuer || !audience) throw new Error('Set PROFILE_API_ISSUER and PROFILE_API_AUDIENCE');
	const port = Number(process.env.PROFILE_API_PORT ?? 3212);
	const api = await startProfileApi({
		issuer,
		audience,
		jwksUrl: PROFILE_API_JWKS_URL,
		port,
		host: process.env.PROFILE_API_HOST
	});
	console.log(`profile API on ${api.url}: tokens from ${issuer} for ${audience}`);
}

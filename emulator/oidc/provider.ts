import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { assertLoopback, closeServer, listen, urlHost } from '../net.ts';
import { readBody } from '../http-util.ts';
import { signInPage } from './page.ts';
import { testUser } from './users.ts';

/** The one client the offline stack registers: the backend's Convex Auth `oidc` provider. */
export const OIDC_CLIENT_ID = 'convex-offline';
const SCOPE = 'openid email profile';
const INTERACTION = /^\/interaction\/([\w-]+)$/;

export type OidcProvider = {
	issuer: string;
	/** The deployment env that configures the backend's `oidc` provider with this client. */
	env: {
		AUTH_OIDC_ISSUER: string;
		AUTH_OIDC_ID: string;
		AUTH_OIDC_SECRET: string;
		AUTH_OIDC_NAME: string;
	};
	/** Registers where the provider may send users back (the backend's callback), once known. */
	allowRedirect(uri: string): Promise<void>;
	/** Stops answering, keeping the port: "the provider is down". */
	pause(): Promise<void>;
	resume(): Promise<void>;
	close(): Promise<void>;
};

/**
 * A real OpenID provider (the certified `oidc-provider` package) on loopback, with one confidential
 * client and the test users of users.ts. Plain http: Convex Auth's OAuth client accepts an http
 * issuer, so no certificate is needed. Requests before `allowRedirect` get 503.
 */
export async function startOidcProvider(port = 0, host = '127.0.0.1'): Promise<OidcProvider> {
	assertLoopback(host);
	let provider: Provider | undefined;
	const server = createServer((req, res) => {
		if (provider === undefined) return void res.writeHead(503).end('starting');
		void serve(provider, req, res).catch((error: unknown) => {
			console.error('[oidc]', error);
			if (!res.headersSent) res.writeHead(500).end();
		});
	});
	const actualPort = await listen(server, port, host);
	const issuer = `http://${urlHost(host)}:${actualPort}`;
	const secret = randomBytes(24).toString('hex');
	const { privateKey } = await generateKeyPair('RS256', { extractable: true });
	const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'offline' };

	return {
		issuer,
		env: {
			AUTH_OIDC_ISSUER: issuer,
			AUTH_OIDC_ID: OIDC_CLIENT_ID,
			AUTH_OIDC_SECRET: secret,
			AUTH_OIDC_NAME: 'Offline OpenID'
		},
		async allowRedirect(uri) {
			provider = new Provider(issuer, {
				clients: [
					{
						client_id: OIDC_CLIENT_ID,
						client_secret: secret,
						redirect_uris: [uri],
						grant_types: ['authorization_code'],
						response_types: ['code']
					}
				],
				jwks: { keys: [signingKey] },
				cookies: { keys: [randomBytes(32).toString('hex')] },
				claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
				// Profile and email in the ID token itself, which is what Convex Auth reads.
				conformIdTokenClaims: false,
				pkce: { required: () => true },
				// Short-lived everything: a test flow takes seconds.
				ttl: {
					AccessToken: 600,
					AuthorizationCode: 60,
					Grant: 600,
					IdToken: 600,
					Interaction: 600,
					Session: 3600
				},
				features: { devInteractions: { enabled: false } },
				interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
				findAccount: (_ctx, sub) => {
					const user = testUser(sub);
					if (!user) return undefined;
					return {
						accountId: sub,
						claims: () => ({
							sub,
							email: user.email,
							email_verified: user.emailVerified,
							name: user.name
						})
					};
				}
			});
		},
		async pause() {
			await closeServer(server);
		},
		async resume() {
			if (!server.listening) await listen(server, actualPort, host);
		},
		close: () => closeServer(server)
	};
}

async function serve(provider: Provider, req: IncomingMessage, res: ServerResponse) {
	const uid = INTERACTION.exec(new URL(req.url ?? '/', 'http://oidc').pathname)?.[1];
	if (uid === undefined) return provider.callback()(req, res);
	const details = await provider.interactionDetails(req, res);
	const client = String(details.params.client_id);
	if (req.method !== 'POST') return page(res, 200, signInPage(uid, client));

	const form = new URLSearchParams((await readBody(req)).toString());
	if (form.get('decision') === 'deny') {
		const denied = { error: 'access_denied', error_description: 'The user denied access' };
		return provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
	}
	const user = testUser(form.get('username') ?? '');
	if (!user || user.password !== form.get('password')) {
		return page(res, 401, signInPage(uid, client, 'Unknown user or wrong password.'));
	}
	// Signing in and consenting in one step: the grant covers what the client asked for.
	const grant = new provider.Grant({ accountId: user.sub, clientId: client });
	grant.addOIDCScope(String(details.params.scope ?? SCOPE));
	const grantId = await grant.save();
	const result = { login: { accountId: user.sub }, consent: { grantId } };
	await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

function page(res: ServerResponse, status: number, html: string) {
	res.writeHead(status, {
		'content-type': 'text/html; charset=utf-8',
		'cache-control': 'no-store'
	});
	res.end(html);
}

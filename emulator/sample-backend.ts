// The offline stack's second backend (examples/profile-api): what a team's own service would be in
// production, started next to the emulator so dev:offline, start:offline and the tests have it.
import { startProfileApi } from '../examples/profile-api/server.ts';
import { generateScopedKey } from '../src/lib/server/backends/scoped-keys.ts';

/**
 * Starts the profile API on loopback `port`, trusting what the app will send it: the user's Convex
 * JWT (issuer the emulator's site, audience "convex"), or, when the app's environment lists it in
 * SCOPED_BACKEND_ORIGINS, only tokens the app mints for it (issuer PUBLIC_ORIGIN, audience its own
 * origin). Returns the variables the app needs: its URL, and signing keys unless some are set.
 */
export async function startSampleBackend(port: number, siteUrl: string, appEnv: NodeJS.ProcessEnv) {
	const origin = `http://127.0.0.1:${port}`;
	const scopedOrigins = (appEnv.SCOPED_BACKEND_ORIGINS ?? '').split(',').map((s) => s.trim());
	const scoped = scopedOrigins.some((o) => URL.canParse(o) && new URL(o).origin === origin);
	if (scoped && !appEnv.PUBLIC_ORIGIN)
		throw new Error(`${origin} is a scoped backend: set PUBLIC_ORIGIN, the tokens' issuer`);
	const api = await startProfileApi({
		port,
		...(scoped
			? { issuer: appEnv.PUBLIC_ORIGIN!, audience: origin }
			: { issuer: siteUrl, audience: 'convex' })
	});
	// Fresh keys each start, as the emulator's own: scoped tokens live minutes, so none is lost.
	const keys = appEnv.SCOPED_TOKEN_KEYS || JSON.stringify([await generateScopedKey()]);
	return {
		api,
		mode: scoped ? 'scoped tokens' : 'Convex JWTs',
		env: { PROFILE_API_URL: api.url, SCOPED_TOKEN_KEYS: keys }
	};
}

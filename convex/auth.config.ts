// Convex verifies every Bearer JWT against this: `iss` must equal the domain, `aud` must contain the
// application ID, and the signature must match the JWKS served at `${domain}/.well-known/jwks.json`.
export default {
	providers: [
		{
			domain: process.env.CONVEX_SITE_URL,
			applicationID: 'convex'
		}
	]
};

import { error, isRedirect, redirect, type RequestEvent } from '@sveltejs/kit';
import { api } from '#convex/_generated/api.js';
import { OAUTH_PROVIDERS, type OAuthProviderId } from '#convex/methods.ts';
import { completeSignIn } from './complete-sign-in.ts';
import { config } from './config.ts';
import { createClient } from './convex.ts';
import { callbackPath, keepFlow, takeFlow } from './oauth-flow.ts';
import { oauthProviders, type OAuthOutcome } from './oauth-offer.ts';
import { safeRedirectPath } from './redirect.ts';

function back(outcome: OAuthOutcome, provider: string, redirectTo: string): never {
	const query = new URLSearchParams({ oauth: outcome, provider });
	if (redirectTo !== safeRedirectPath(null)) query.set('redirectTo', redirectTo);
	redirect(303, `/login?${query}`);
}

/**
 * POST /oauth/<provider>: asks the deployment to start the provider's sign-in, keeps the verifier
 * in the flow cookie and sends the browser on to the deployment's sign-in route, which goes on to
 * the provider. The provider comes back through the deployment to {@link finishOAuth}.
 *
 * On by a page, not a redirect: a form's `form-action 'self'` binds every redirect its submission
 * follows, and this chain must leave the site (deployment, then provider). A refresh is a new
 * navigation, so the CSP stays as strict as it is.
 */
export async function startOAuth(
	event: RequestEvent,
	provider: OAuthProviderId
): Promise<Response> {
	const form = await event.request.formData().catch(() => new FormData());
	const field = form.get('redirectTo');
	const redirectTo = safeRedirectPath(typeof field === 'string' ? field : null);
	const offered = await oauthProviders();
	if (!offered.some((p) => p.id === provider)) back('unavailable', provider, redirectTo);

	const client = createClient(null);
	let started: { redirect?: string; verifier?: string };
	try {
		if (!(await client.action(api.oauth.reachable, { provider })))
			back('down', provider, redirectTo);
		started = await client.action(api.auth.signIn, {
			provider,
			params: { redirectTo: callbackPath(provider) }
		});
	} catch (e) {
		if (isRedirect(e)) throw e;
		back('unavailable', provider, redirectTo);
	}
	if (!started.redirect || !started.verifier) back('unavailable', provider, redirectTo);
	// The one place this app sends a browser off-site: the deployment's own sign-in route.
	if (new URL(started.redirect).origin !== new URL(config.convexSiteUrl).origin) {
		console.error(
			`OAuth: the deployment's sign-in route is not on CONVEX_SITE_URL (${config.convexSiteUrl})`
		);
		back('unavailable', provider, redirectTo);
	}
	keepFlow(event, {
		provider,
		verifier: started.verifier,
		redirectTo
	});
	const name = offered.find((p) => p.id === provider)?.name ?? provider;
	return continuePage(started.redirect, name);
}

/**
 * GET /oauth/<provider>/callback?code=…: redeems the one-time code with this browser's verifier,
 * sets the session cookies and lands on the page the sign-in started from. The response is a
 * redirect, so the code leaves the address bar at once and no page ever holds it.
 */
export async function finishOAuth(event: RequestEvent, provider: OAuthProviderId): Promise<never> {
	const flow = takeFlow(event, provider);
	if (flow === null) back('expired', provider, safeRedirectPath(null));
	const redirectTo = safeRedirectPath(flow.redirectTo);
	const code = event.url.searchParams.get('code');
	// Convex Auth comes back without a code whenever the provider's answer was refused: consent
	// denied, a state or PKCE check failed, the provider failed mid-way.
	if (!code) back('failed', provider, redirectTo);

	let tokens: { token: string; refreshToken: string } | null | undefined;
	try {
		({ tokens } = await createClient(null).action(api.auth.signIn, {
			provider,
			params: { code },
			verifier: flow.verifier
		}));
	} catch (e) {
		if (isRedirect(e)) throw e;
		back('unavailable', provider, redirectTo);
	}
	if (!tokens) back('failed', provider, redirectTo);
	const outcome = await completeSignIn(event, tokens, provider);
	if (outcome !== 'ok') back('unavailable', provider, redirectTo);
	redirect(303, redirectTo);
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page that moves on to `url` at once, with a link for a browser that does not refresh. */
function continuePage(url: string, name: string): Response {
	const href = escape(url);
	const html =
		'<!doctype html><html lang="en"><head><meta charset="utf-8">' +
		`<meta http-equiv="refresh" content="0; url=${href}"><title>Continuing to ${escape(name)}</title>` +
		`</head><body><p><a href="${href}">Continue to ${escape(name)}</a></p></body></html>`;
	return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** The `[provider]` route parameter, when it names a provider this app knows; 404 otherwise. */
export function providerParam(value: string): OAuthProviderId {
	const known = OAUTH_PROVIDERS.find((id) => id === value);
	if (known === undefined) error(404, 'Not found');
	return known;
}

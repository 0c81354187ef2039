import type { RequestEvent } from '@sveltejs/kit';
import { config } from './config.ts';
import { isSecure } from './cookies.ts';

/** Long enough to sign in at a provider, short enough that an abandoned flow does not linger. */
const FLOW_MAX_AGE_S = 10 * 60;

/** What the server keeps between sending the browser to a provider and its return. */
export type Flow = { provider: string; verifier: string; redirectTo: string };

export const callbackPath = (provider: string) => `/oauth/${provider}/callback`;

/** The parts of a request the flow cookie is read from and written to. */
type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

function cookie(url: URL, provider: string) {
	const secure = isSecure(url, config.cookieSecure);
	return {
		name: `${secure ? '__Secure-' : ''}oauth-flow`,
		// Sent only to the callback of the provider it was made for. Lax: the provider's redirect
		// back is a top-level navigation from another site.
		options: { path: callbackPath(provider), httpOnly: true, secure, sameSite: 'lax' } as const
	};
}

/**
 * Binds the flow to this browser: Convex Auth redeems the provider's code only with the verifier
 * its sign-in began with, and only this cookie holds it. Page JS never sees it.
 */
export function keepFlow({ cookies, url }: CookieEvent, flow: Flow): void {
	const { name, options } = cookie(url, flow.provider);
	const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
	cookies.set(name, value, { ...options, maxAge: FLOW_MAX_AGE_S });
}

/** The flow this browser started with `provider`, deleted as it is read: a flow is used once. */
export function takeFlow({ cookies, url }: CookieEvent, provider: string) {
	const { name, options } = cookie(url, provider);
	const value = cookies.get(name);
	if (value === undefined) return null;
	cookies.delete(name, options);
	try {
		const flow = JSON.parse(Buffer.from(value, 'base64url').toString()) as Partial<Flow>;
		if (flow.provider !== provider || typeof flow.verifier !== 'string') return null;
		return { provider, verifier: flow.verifier, redirectTo: String(flow.redirectTo ?? '') };
	} catch {
		return null;
	}
}

// P1: authenticated SSR vs the same page anonymous. P4: a refresh storm from one browser.
import { decodeJwt } from 'jose';
import { load, sideBySide } from './load.ts';
import { appHeaders, signUp, startStack } from './stack.ts';

export async function benchSsr(seconds: number, rounds: number) {
	const stack = await startStack(4);
	try {
		const { cookie } = await signUp(stack.url);
		// Preconditions: the cookie really signs the page in, and the anonymous page really is anonymous.
		const signedIn = await (
			await fetch(`${stack.url}/`, { headers: appHeaders(stack.url, cookie) })
		).text();
		const anonymous = await (
			await fetch(`${stack.url}/`, { headers: appHeaders(stack.url) })
		).text();
		if (!signedIn.includes('Open your notes') || anonymous.includes('Open your notes')) {
			throw new Error('the landing page does not differ between signed-in and anonymous requests');
		}
		const runs = sideBySide(
			() => load(`${stack.url}/`, appHeaders(stack.url), { connections: 16, seconds }),
			() => load(`${stack.url}/`, appHeaders(stack.url, cookie), { connections: 16, seconds }),
			rounds
		);
		// What carrying a cookie that size costs by itself: an anonymous request with a junk cookie.
		const junk = `junk=${'x'.repeat(cookie.length - 5)}`;
		const junkRuns = sideBySide(
			() => load(`${stack.url}/`, appHeaders(stack.url), { connections: 16, seconds }),
			() => load(`${stack.url}/`, appHeaders(stack.url, junk), { connections: 16, seconds }),
			3
		);
		return {
			anonymousRps: runs.a.rps,
			authenticatedRps: runs.b.rps,
			ratio: runs.b.rps / runs.a.rps,
			cookieBytes: cookie.length,
			junkCookieRatio: junkRuns.b.rps / junkRuns.a.rps
		};
	} finally {
		await stack.stop();
	}
}

export async function benchRefreshStorm(parallel = 50) {
	const stack = await startStack(5, { AUTH_JWT_DURATION_MS: '3000' });
	try {
		const { cookie, jwt } = await signUp(stack.url);
		// Protocol time: just past the JWT's own exp.
		const expiresAt = (decodeJwt(jwt).exp as number) * 1000;
		await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 50));
		const before = (await stack.stats()).calls['auth:signIn'] ?? 0;
		const responses = await Promise.all(
			Array.from({ length: parallel }, () =>
				fetch(`${stack.url}/notes`, { headers: appHeaders(stack.url, cookie), redirect: 'manual' })
			)
		);
		const bodies = await Promise.all(responses.map((r) => r.text()));
		const succeeded = bodies.filter(
			(b, i) => responses[i].status === 200 && b.includes('Your notes')
		).length;
		const refreshes = ((await stack.stats()).calls['auth:signIn'] ?? 0) - before;
		return { parallel, succeeded, refreshes };
	} finally {
		await stack.stop();
	}
}

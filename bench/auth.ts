// P1: authenticated SSR vs the same page anonymous, and its control. P4: a refresh storm from one
// browser.
import { decodeJwt } from 'jose';
import { START } from '../src/lib/app.ts';
import { port } from '../tests/support/ports.ts';
import { startFloor } from './floors/index.ts';
import { load, sideBySide, type Load } from './load.ts';
import { appHeaders, signUp, startStack, type Stack } from './stack.ts';

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
		// The home page links a signed-in user to the start page (src/lib/app.ts).
		const link = `Open ${START.label}`;
		if (!signedIn.includes(link) || anonymous.includes(link)) {
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
			junkCookieRatio: junkRuns.b.rps / junkRuns.a.rps,
			control: await controlRuns(stack, cookie, seconds, rounds)
		};
	} finally {
		await stack.stop();
	}
}

/**
 * P1's control: the same two requests to a page whose markup is the same for both (the bench's
 * floor app behind this app's hooks), so the ratio is what the session step itself costs.
 */
async function controlRuns(stack: Stack, cookie: string, seconds: number, rounds: number) {
	const floor = await startFloor('kit+hooks', stack, port('BENCH_APP_PORT') + 13);
	try {
		const page = `${floor.url}/page`;
		const get = (c?: string) => fetch(page, { headers: appHeaders(floor.url, c) });
		const [anonymous, signedIn] = [await get(), await get(cookie)];
		// Preconditions: one markup for both, and the hooks did take the cookie as a signed-in user.
		if ((await anonymous.text()) !== (await signedIn.text()))
			throw new Error('the control page differs between signed-in and anonymous requests');
		if (!/no-store/.test(signedIn.headers.get('cache-control') ?? ''))
			throw new Error('the control page was not served as signed in');
		const runs = sideBySide(
			(): Load => load(page, appHeaders(floor.url), { connections: 16, seconds }),
			(): Load => load(page, appHeaders(floor.url, cookie), { connections: 16, seconds }),
			rounds
		);
		return {
			anonymousRps: runs.a.rps,
			authenticatedRps: runs.b.rps,
			ratio: runs.b.rps / runs.a.rps
		};
	} finally {
		await floor.stop();
	}
}

/** P1's rows of the bench table. */
export function ssrRows(
	ssr: Awaited<ReturnType<typeof benchSsr>>
): [string, string, string, string][] {
	const f = (n: number, d = 2) => n.toFixed(d);
	const rps = (r: { authenticatedRps: number; anonymousRps: number }) =>
		`(${f(r.authenticatedRps, 0)} / ${f(r.anonymousRps, 0)})`;
	return [
		[
			'P1 authenticated ÷ anonymous SSR req/s',
			`${f(ssr.ratio, 3)}× ${rps(ssr)}`,
			'≥ 0.95×',
			ssr.ratio >= 0.95 ? 'ok' : 'MISSED'
		],
		[
			'    control: the same ratio on a page with one markup for both',
			`${f(ssr.control.ratio, 3)}× ${rps(ssr.control)}`,
			'—',
			''
		],
		[
			`    anonymous with a junk ${ssr.cookieBytes}-byte cookie ÷ anonymous`,
			`${f(ssr.junkCookieRatio, 3)}×`,
			'—',
			''
		]
	];
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

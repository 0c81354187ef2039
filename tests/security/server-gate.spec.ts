// Password flows against the backend itself, as anyone who read the deployment URL off a JWT's `iss`
// could call them, and the abuse limits as every app instance shares them.
import { ConvexHttpClient } from 'convex/browser';
import { ConvexError, type Value } from 'convex/values';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { api } from '../../convex/_generated/api';
import { PASSWORD, uniqueEmail } from './accounts.ts';
import { JWT, REFRESH, form, send, type Res } from './http.ts';
import { startStack, type Stack } from './stack.ts';

const SECRET = 'security-suite-shared-server-secret-0123456789';
/** What both app instances and the backend are started with. */
const ENV = {
	AUTH_SERVER_SECRET: SECRET,
	// The proxy in front says who the client is: the tests play several clients from one machine.
	ADDRESS_HEADER: 'x-forwarded-for',
	XFF_DEPTH: '1',
	AUTH_SIGN_IN_PER_IP_PER_MINUTE: '4',
	AUTH_SIGN_UP_PER_IP_PER_HOUR: '100000',
	AUTH_FAILED_PER_ACCOUNT_AND_IP_PER_HOUR: '3'
};

let one: Stack;
let two: Stack;

beforeAll(async () => {
	one = await startStack(14, ENV);
	two = await startStack(15, ENV, 'production', { shared: one });
}, 120_000);
afterAll(async () => {
	await two?.stop();
	await one?.stop();
});

/** The login or sign-up form posted to one app instance by a client at `ip`. */
function post(app: Stack, flow: 'login' | 'signup', ip: string, fields: Record<string, string>) {
	return send(app, {
		method: 'POST',
		path: `/${flow}`,
		headers: {
			origin: 'https://app.example.com',
			'content-type': 'application/x-www-form-urlencoded',
			'x-forwarded-for': ip
		},
		body: form(fields)
	});
}

/** MISCONFIGURED in src/lib/server/auth-form.ts (which needs SvelteKit's env to load). */
const MISCONFIGURED =
	'Signing in is not possible right now because of a problem with this site’s setup, not with your account.';
const alert = (res: Res) => /role="alert"[^>]*>([^<]*)</.exec(res.text)?.[1];
const signedIn = (res: Res) =>
	res.status === 303 && [JWT, REFRESH].every((c) => res.setCookies.some((l) => l.startsWith(c)));

/** `auth:signIn` straight at the backend, as an attacker would call it; its ConvexError code. */
async function direct(params: Record<string, Value>): Promise<unknown> {
	const call = new ConvexHttpClient(one.convexUrl).action(api.auth.signIn, {
		provider: 'password',
		params
	});
	const error = await call.then(
		() => 'accepted',
		(e: unknown) => e
	);
	return error instanceof ConvexError ? error.data : error;
}

test('direct sign-ups at the backend are refused and create no account', async () => {
	const emails = Array.from({ length: 15 }, () => uniqueEmail('direct'));
	for (const [i, email] of emails.entries()) {
		// No secret, an empty one, or one character off.
		const guess: Record<string, string> =
			i % 3 === 0 ? {} : { serverSecret: i % 3 === 1 ? '' : SECRET.slice(0, -1) + 'x' };
		const params = { email, password: PASSWORD, flow: 'signUp', clientIp: '10.9.9.9', ...guess };
		expect(await direct(params)).toEqual({ code: 'SERVER_ONLY' });
	}
	// None of those addresses is taken: each still signs up through the app.
	for (const email of emails.slice(0, 3)) {
		expect(signedIn(await post(one, 'signup', '10.1.0.1', { email, password: PASSWORD }))).toBe(
			true
		);
	}
});

test('direct sign-ins at the backend are refused, even with the right password, and lock nothing', async () => {
	const email = uniqueEmail('owner');
	expect(signedIn(await post(one, 'signup', '10.1.0.2', { email, password: PASSWORD }))).toBe(true);
	for (let i = 0; i < 25; i++) {
		const password = i % 5 === 0 ? PASSWORD : `guess ${i}`;
		const params = { email, password, flow: 'signIn', clientIp: '10.1.0.2' };
		expect(await direct(params)).toEqual({ code: 'SERVER_ONLY' });
	}
	expect(signedIn(await post(two, 'login', '10.1.0.2', { email, password: PASSWORD }))).toBe(true);
});

test('two app instances draw on one per-IP budget, kept in Convex', async () => {
	const email = uniqueEmail('nobody');
	const attempt = (app: Stack, ip = '10.2.0.1') =>
		post(app, 'login', ip, { email, password: 'not the password' });
	// Four a minute from this address, whichever instance gets them.
	for (const app of [one, two, one, two]) expect((await attempt(app)).status).toBe(400);
	for (const app of [one, two]) {
		const limited = await attempt(app);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
		expect(alert(limited)).toMatch(/^Too many attempts\. Try again in \d+ seconds\.$/);
		expect(limited.text).toContain(`value="${email}"`);
	}
	// Another address has its own budget.
	expect((await attempt(two, '10.2.0.2')).status).toBe(400);
});

test('after an attacker’s failures from one IP, the owner still signs in from another', async () => {
	const email = uniqueEmail('victim');
	expect(signedIn(await post(one, 'signup', '10.3.0.1', { email, password: PASSWORD }))).toBe(true);
	for (let i = 0; i < 3; i++) {
		const wrong = await post(one, 'login', '10.3.0.66', { email, password: `guess ${i}` });
		expect(alert(wrong)).toBe('Incorrect email or password.');
	}
	// Locked for the attacker's address: even the right password reads as a wrong one there…
	const locked = await post(two, 'login', '10.3.0.66', { email, password: PASSWORD });
	expect([locked.status, alert(locked), locked.setCookies]).toEqual([
		400,
		'Incorrect email or password.',
		[]
	]);
	// …and the owner, elsewhere, signs in on either instance.
	expect(signedIn(await post(two, 'login', '10.3.0.1', { email, password: PASSWORD }))).toBe(true);
});

test('look-alike emails are refused: a decomposed accent is the same address, invisible characters are not allowed', async () => {
	const local = `ren\u00e9-${Date.now()}`;
	const email = `${local}@example.com`;
	expect(signedIn(await post(one, 'signup', '10.4.0.1', { email, password: PASSWORD }))).toBe(true);
	const decomposed = email.normalize('NFD');
	expect(decomposed).not.toBe(email);
	const twin = await post(two, 'signup', '10.4.0.1', { email: decomposed, password: PASSWORD });
	expect([twin.status, alert(twin)]).toEqual([
		400,
		'An account with this email already exists. Log in instead?'
	]);
	for (const hidden of ['\u200b', '\u200d', '\u202e', '\ufe0f']) {
		const variant = `${local}${hidden}@example.com`;
		const res = await post(one, 'signup', '10.4.0.1', { email: variant, password: PASSWORD });
		expect([res.status, alert(res)]).toEqual([
			400,
			'That email contains invisible or formatting characters. Please type it again.'
		]);
		// And straight at the backend, with the secret (as if the app forgot to check): refused too.
		const params = { email: variant, password: PASSWORD, flow: 'signUp', clientIp: '10.4.0.1' };
		expect(await direct({ ...params, serverSecret: SECRET })).toEqual({ code: 'INVALID_EMAIL' });
	}
});

test('an instance whose secret the deployment does not share says so as it starts, and signs nobody in', async () => {
	const stray = await startStack(
		16,
		{ ...ENV, AUTH_SERVER_SECRET: `${SECRET}-old` },
		'production',
		{
			shared: one
		}
	);
	try {
		await vi.waitFor(() => expect(stray.log()).toContain('AUTH_SERVER_SECRET differs'), {
			timeout: 10_000
		});
		const email = uniqueEmail('stray');
		const res = await post(stray, 'signup', '10.5.0.1', { email, password: PASSWORD });
		expect([res.status, alert(res), res.setCookies]).toEqual([500, MISCONFIGURED, []]);
		expect(stray.log()).not.toContain(SECRET);
		// The instances that share it never complained.
		expect(one.log()).not.toContain('AUTH_SERVER_SECRET');
	} finally {
		await stray.stop();
	}
});

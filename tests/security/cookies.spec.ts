// Cookie fuzzing: malformed, duplicated, look-alike and oversized Cookie headers never crash the app
// and never sign anyone in; and logging in always replaces whatever session cookies were there.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PASSWORD, PROTECTED, signUp, signedIn, submitAuth } from './accounts.ts';
import { JWT, REFRESH, send, Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let valid: { jwt: string; refresh: string }; // a real session, only ever under look-alike names
let owner: Jar;
let ownerEmail: string;

/** Printable ASCII plus tab: what Node lets through in a header value. */
const printable = (max: number) =>
	fc.string({
		unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
		maxLength: max
	});

/** Values for the real cookie names: anything but a working token. */
const badValue = () =>
	fc.oneof(
		printable(60),
		fc.constantFrom('attacker', '', '""', '%', '%zz', '%E0%A4%A', 'a=b', 'null', 'undefined'),
		fc.constant(null).map(() => tamper(valid.jwt)),
		fc
			.constant(null)
			.map(
				() => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${valid.jwt.split('.')[1]}.`
			),
		fc.constant(null).map(() => `${valid.refresh}x`),
		fc.constant(null).map(() => valid.refresh.split('|').reverse().join('|')),
		fc.integer({ min: 1, max: 8 }).map((kb) => 'A'.repeat(kb * 1024))
	);

/** Names that look like the session cookies but are not the ones read over https. */
const LOOKALIKES = [
	'convex-jwt',
	'convex-refresh',
	'__host-convex-jwt',
	'__HOST-convex-refresh',
	'__Secure-convex-jwt',
	'__Host-convex-jwt.',
	'__Host-Convex-Jwt',
	'__Host-convex-refresh2',
	`${JWT}%20`
];

const pair = fc.oneof(
	fc.tuple(fc.constantFrom(JWT, REFRESH), badValue()),
	// A valid token smuggled under a look-alike name must not count.
	fc
		.tuple(fc.constantFrom(...LOOKALIKES), fc.constantFrom('jwt', 'refresh'))
		.map(([name, which]) => [name, valid[which === 'jwt' ? 'jwt' : 'refresh']] as [string, string]),
	fc.tuple(printable(20), printable(40))
);

const cookieHeader = fc.oneof(
	{
		weight: 4,
		arbitrary: fc
			.tuple(
				fc.array(pair, { minLength: 1, maxLength: 8 }),
				fc.constantFrom('; ', ';', ' ; ', ';;')
			)
			.map(([pairs, sep]) => pairs.map(([k, v]) => `${k}=${v}`).join(sep))
	},
	{ weight: 1, arbitrary: printable(200) }
);

function tamper(token: string) {
	const i = token.length - 20;
	return token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
}

beforeAll(async () => {
	stack = await startStack(5);
	const { jar } = await signUp(stack, 'cookie-valid');
	valid = { jwt: jar.get(JWT)!, refresh: jar.get(REFRESH)! };
	({ jar: owner, email: ownerEmail } = await signUp(stack, 'cookie-owner'));
});
afterAll(() => stack?.stop());

test('no Cookie header, however malformed, crashes the app or signs anyone in', async () => {
	await fc.assert(
		fc.asyncProperty(cookieHeader, async (cookie) => {
			const page = await send(stack, { path: PROTECTED, headers: { cookie } });
			expect(page.status, cookie.slice(0, 200)).toBeLessThan(500);
			if (page.status !== 431) {
				expect(page.status, cookie.slice(0, 200)).toBe(303);
				expect(page.headers.location).toMatch(/^\/login/);
			}
			const api = await send(stack, {
				path: '/api/x',
				headers: { cookie, accept: 'application/json' }
			});
			expect(api.status, cookie.slice(0, 200)).toBeLessThan(500);
			if (api.status !== 431) expect(api.status, cookie.slice(0, 200)).toBe(401);
		}),
		{ numRuns: 200 }
	);
	expect(await stack.alive()).toBe(true);
	expect(await signedIn(stack, owner)).toBe(true);
});

test('a duplicated session cookie with a valid and an invalid JWT in either order is handled', async () => {
	for (const cookie of [
		`${JWT}=${tamper(owner.get(JWT)!)}; ${JWT}=${owner.get(JWT)}`,
		`${JWT}=${owner.get(JWT)}; ${JWT}=attacker`,
		`${JWT}=${owner.get(JWT)}; convex-jwt=attacker; ${JWT}=`
	]) {
		const res = await send(stack, { path: PROTECTED, headers: { cookie } });
		// Signed in as the owner, or not at all: never an error, never someone else.
		expect([200, 303]).toContain(res.status);
		if (res.status === 200) expect(res.text).toContain(ownerEmail);
	}
});

test('logging in replaces planted session cookies (no session fixation), each Set-Cookie under 4 KB', async () => {
	const attacker = await signUp(stack, 'cookie-attacker');
	const victim = await signUp(stack, 'cookie-victim');
	for (const planted of [
		new Jar({ [JWT]: 'attacker', [REFRESH]: 'attacker-refresh' }),
		attacker.jar // the attacker's own working session
	]) {
		const before = planted.clone();
		const res = await submitAuth(
			stack,
			'login',
			{ email: victim.email, password: PASSWORD },
			planted
		);
		expect(res.status).toBe(303);
		const after = before.clone().take(res);
		for (const name of [JWT, REFRESH]) {
			const line = res.setCookies.find((c) => c.startsWith(`${name}=`));
			expect(line).toBeDefined();
			expect(after.get(name)).not.toBe(before.get(name));
			expect(line).toMatch(/; HttpOnly/i);
			expect(line).toMatch(/; Secure/i);
			expect(line).toMatch(/; Path=\//i);
			expect(line).not.toMatch(/; Domain=/i);
		}
		for (const line of res.setCookies) expect(Buffer.byteLength(line)).toBeLessThan(4096);
		const claims = JSON.parse(Buffer.from(after.get(JWT)!.split('.')[1], 'base64url').toString());
		expect(claims.email).toBe(victim.email);
	}
});

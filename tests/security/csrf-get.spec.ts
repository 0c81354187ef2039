// CSRF for safe methods: GET never changes state, and the one GET that carries user data on a
// long-lived channel (/live) is refused to other sites.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signIn, signUp, signedIn } from './accounts.ts';
import { sessionOf, stateOf } from './backend-state.ts';
import { APP, send, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let victim: Jar;
let witness: Jar; // the victim's second session

beforeAll(async () => {
	stack = await startStack(9);
	const a = await signUp(stack, 'csrf-get');
	victim = a.jar;
	witness = await signIn(stack, a.email);
});
afterAll(() => stack?.stop());

describe('GET never changes state', () => {
	test('GET /logout only asks: the session keeps working and the backend is not told', async () => {
		const before = await stack.calls('auth:signOut');
		const res = await send(stack, { path: '/logout', headers: { cookie: victim.header() } });
		expect(res.status).toBe(200);
		expect(res.setCookies).toEqual([]);
		expect(await stack.calls('auth:signOut')).toBe(before);
		expect(await signedIn(stack, victim)).toBe(true);
	});

	test('GET /account?/rename and /account/sessions?/revoke only render the page', async () => {
		const before = await stateOf(stack, victim);
		for (const path of [
			'/account?/rename&name=get',
			`/account/sessions?/revoke&id=${sessionOf(witness)}`
		]) {
			const res = await send(stack, { path, headers: { cookie: victim.header() } });
			expect(res.status).toBe(200);
		}
		const after = await stateOf(stack, victim);
		expect(after.me).toEqual(before.me);
		expect(after.sessions).toEqual(before.sessions);
		expect(after.calls['users:rename']).toBe(before.calls['users:rename']);
		expect(after.calls['sessions:revoke']).toBe(before.calls['sessions:revoke']);
		expect(await signedIn(stack, witness)).toBe(true);
	});

	test('GET /account/sessions?/revokeOthers leaves the other sessions alone', async () => {
		const res = await send(stack, {
			path: '/account/sessions?/revokeOthers',
			headers: { cookie: victim.header() }
		});
		expect(res.status).toBe(200);
		expect(await signedIn(stack, witness)).toBe(true);
	});
});

describe('the /live stream (a GET that carries user data)', () => {
	const live = `/live?q=${encodeURIComponent('[["users:me",{}]]')}`;
	const open = (headers: Record<string, string>) =>
		send(stack, { path: live, readMs: 0, headers: { cookie: victim.header(), ...headers } });
	for (const [who, headers] of [
		['a cross-site page (Sec-Fetch-Site: cross-site)', { 'sec-fetch-site': 'cross-site' }],
		['a sibling site (Sec-Fetch-Site: same-site)', { 'sec-fetch-site': 'same-site' }],
		['a foreign Origin', { origin: 'https://evil.example' }],
		[
			'a look-alike Origin with Sec-Fetch-Site: same-origin',
			{ origin: `${APP}.evil.com`, 'sec-fetch-site': 'same-origin' }
		]
	] as const) {
		test(`refuses to open for ${who}`, async () => {
			expect((await open(headers)).status).toBe(403);
		});
	}
	for (const [who, headers] of [
		['its own pages', { 'sec-fetch-site': 'same-origin', origin: APP }],
		['a typed-in URL (Sec-Fetch-Site: none)', { 'sec-fetch-site': 'none' }],
		['the allow-listed origin', { origin: 'https://admin.example.com' }]
	] as const) {
		test(`opens for ${who}`, async () => {
			const res = await open(headers);
			expect(res.status).toBe(200);
			expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
		});
	}
});

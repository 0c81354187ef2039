// The CSRF matrix against the built app: method × content type × where the request says it comes
// from, for every state-changing endpoint. Nothing forbidden is accepted, nothing legitimate refused.
// (GET requests and the /live stream: csrf-get.spec.ts.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSWORD, signIn, signUp, signedIn, uniqueEmail } from './accounts.ts';
import { me, sessionIds, sessionOf, stateOf } from './backend-state.ts';
import { APP, JWT, REFRESH, send, type Jar, type Res } from './http.ts';
import { ALLOWED, FORBIDDEN, FORM_TYPES, METHODS, TYPES, type From } from './csrf-matrix.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
let victim: Jar; // user A, whose cookies every forged request carries
let witness: Jar; // A's second session: revokeOthers must not end it
let other: Jar; // user B, for legitimate revokeOthers and /live
let loginEmail: string; // user L, for legitimate logins and logouts
let victimEmail: string;

type Prepared = { fields: Record<string, string>; jar: Jar | null };
type Target = {
	name: string;
	path: string;
	/** /api/* sends this JSON whatever the content type says, and the upstream reads it as JSON. */
	json?: (fields: Record<string, string>) => unknown;
	prepare: (legit: boolean, method: string) => Promise<Prepared> | Prepared;
	/** A legitimate POST with a form body (any body for /api) did what it is for. */
	done?: (res: Res, fields: Record<string, string>) => Promise<void> | void;
};

let n = 0;
const signedInWithCookies = (res: Res) => {
	expect(res.status).toBe(303);
	expect(res.setCookies.map((c) => c.split('=')[0])).toEqual(
		expect.arrayContaining([JWT, REFRESH])
	);
};
const TARGETS: Target[] = [
	{
		name: 'the login form',
		path: '/login',
		prepare: (legit) => ({
			fields: { email: loginEmail, password: PASSWORD },
			jar: legit ? null : victim
		}),
		done: signedInWithCookies
	},
	{
		name: 'the sign-up form',
		path: '/signup',
		prepare: (legit) => ({
			fields: { email: uniqueEmail('csrf-new'), password: PASSWORD },
			jar: legit ? null : victim
		}),
		done: signedInWithCookies
	},
	{
		name: 'logout',
		path: '/logout',
		// A legitimate logout spends a session, so each gets a fresh one.
		prepare: async (legit, method) => ({
			fields: {},
			jar: legit && method === 'POST' ? await signIn(stack, loginEmail) : victim
		}),
		done: (res) => {
			expect(res.status).toBe(303);
			expect(res.headers.location).toBe('/');
			expect(res.setCookies.some((c) => c.startsWith(`${JWT}=;`))).toBe(true);
		}
	},
	{
		name: 'the account rename action',
		path: '/account?/rename',
		prepare: () => ({ fields: { name: `csrf name ${n++}` }, jar: victim }),
		done: async (res, fields) => {
			expect(res.status).toBe(200);
			expect((await me(stack, victim))?.name).toBe(fields.name);
		}
	},
	{
		name: 'the sessions revoke action',
		path: '/account/sessions?/revoke',
		// Forged: the witness session, which must survive. Legitimate: a spare session of the victim.
		prepare: async (legit, method) => ({
			fields: {
				id: sessionOf(legit && method === 'POST' ? await signIn(stack, victimEmail) : witness)
			},
			jar: victim
		}),
		done: async (res, fields) => {
			expect(res.status).toBe(200);
			expect(await sessionIds(stack, victim)).not.toContain(fields.id);
		}
	},
	{
		name: 'the sessions revokeOthers action',
		path: '/account/sessions?/revokeOthers',
		prepare: (legit) => ({ fields: {}, jar: legit ? other : victim }),
		done: (res) => expect(res.status).toBe(200)
	},
	{
		name: 'the proxied POST /api/me',
		path: '/api/me',
		json: (f) => ({ name: f.name }),
		prepare: () => ({ fields: { name: `api name ${n++}` }, jar: victim }),
		done: async (res, fields) => {
			expect(res.status).toBe(200);
			expect((await me(stack, victim))?.name).toBe(fields.name);
		}
	},
	{
		name: 'the proxied /api/anything',
		path: '/api/anything',
		json: (f) => f,
		prepare: () => ({ fields: { any: 'thing' }, jar: victim }),
		// Reached the upstream (the Convex site), which has no such route.
		done: (res) => expect(res.text).toContain('No HttpAction routed for /anything')
	},
	{ name: 'the /live stream', path: '/live', prepare: () => ({ fields: {}, jar: victim }) }
];

function post(
	path: string,
	from: From,
	type: string | null,
	body: string,
	jar: Jar | null,
	method = 'POST'
) {
	return send(stack, {
		method,
		path,
		headers: {
			origin: from.origin,
			'sec-fetch-site': from.site,
			'content-type': type ?? undefined,
			cookie: jar?.header()
		},
		body
	});
}

type Attempt = {
	res: Res;
	what: string;
	method: string;
	label: string;
	fields: Record<string, string>;
};

/** Every method × content type against the target, as `from`; `check` judges each answer. */
async function attempt(target: Target, from: From, legit: boolean, check: (a: Attempt) => unknown) {
	for (const method of METHODS) {
		for (const [label, type, encode] of TYPES) {
			const { fields, jar } = await target.prepare(legit, method);
			const body = target.json ? JSON.stringify(target.json(fields)) : encode(fields);
			const res = await post(target.path, from, type, body, jar, method);
			const what = `${method} ${label} → ${res.status} ${res.text.slice(0, 80)}`;
			await check({ res, what, method, label, fields });
		}
	}
}

beforeAll(async () => {
	stack = await startStack(0);
	const a = await signUp(stack, 'csrf-a');
	victim = a.jar;
	victimEmail = a.email;
	witness = await signIn(stack, a.email);
	other = (await signUp(stack, 'csrf-b')).jar;
	loginEmail = (await signUp(stack, 'csrf-l')).email;
});
afterAll(() => stack?.stop());

for (const target of TARGETS) {
	describe(`${target.name} (${target.path})`, () => {
		for (const [who, from] of FORBIDDEN) {
			test(`refuses POST, PUT, PATCH and DELETE from ${who} with every content type, changing nothing`, async () => {
				const before = await stateOf(stack, victim);
				await attempt(target, from, false, ({ res, what }) => {
					expect(res.status, what).toBe(403);
					expect(res.setCookies, what).toEqual([]);
				});
				expect(await stateOf(stack, victim)).toEqual(before);
				expect(await signedIn(stack, victim)).toBe(true);
				expect(await signedIn(stack, witness)).toBe(true);
			});
		}
		for (const [who, from] of ALLOWED) {
			test(`does not refuse POST, PUT, PATCH or DELETE from ${who}, and a form post does its job`, async () => {
				await attempt(target, from, true, async ({ res, what, method, label, fields }) => {
					expect(res.status, what).not.toBe(403);
					const formPost = target.json || FORM_TYPES.includes(label);
					if (method === 'POST' && formPost && target.done) await target.done(res, fields);
				});
			});
		}
	});
}

test('answers every cross-site refusal with Vary: Origin, so no cache serves it to the app itself', async () => {
	for (const target of TARGETS) {
		for (const [label, type, encode] of TYPES) {
			const res = await post(
				target.path,
				{ origin: 'https://evil.example' },
				type,
				encode({}),
				victim
			);
			expect(res.status, `${target.path} ${label}`).toBe(403);
			expect(res.headers.vary ?? '', `${target.path} ${label}`).toMatch(/\borigin\b/i);
		}
	}
});

test('answers a same-origin text/plain form post to an action without a server error', async () => {
	// Browsers can send enctype="text/plain" and SvelteKit passes it to actions as a form type;
	// request.formData() cannot parse it.
	for (const path of ['/login', '/signup', '/account?/rename', '/account/sessions?/revoke']) {
		const res = await post(path, { origin: APP }, 'text/plain', 'name=hello\r\n', victim);
		expect(res.status, path).toBeLessThan(500);
	}
});

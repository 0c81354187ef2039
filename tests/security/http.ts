// Raw HTTP against the built app, so paths and headers reach it byte for byte, plus a cookie jar and
// sign-up / sign-in through the real form actions.
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Stack } from './stack.ts';

/** What the TLS-terminating proxy in front of the app would add: the app's origin is APP. */
export const APP = 'https://app.example.com';
export const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' };
export const JWT = '__Host-convex-jwt';
export const REFRESH = '__Host-convex-refresh';
export const PASSWORD = 'correct horse battery staple';
const NAV = 'text/html,application/xhtml+xml,*/*;q=0.8';

/** Every session cookie value any response of this test file set: for the log check. */
export const issued = new Set<string>();

export type Res = {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** The Set-Cookie lines, whole. */
	setCookies: string[];
};

export type Req = {
	method?: string;
	path: string;
	headers?: Record<string, string | string[] | undefined>;
	body?: string | Buffer;
	/** Leave out the X-Forwarded-* headers. */
	bare?: boolean;
	/** For event streams: read this many ms of the body (0: just the headers), then hang up. */
	readMs?: number;
};

export function send(stack: Stack | number, req: Req): Promise<Res> {
	const port = typeof stack === 'number' ? stack : stack.port;
	// A browser's navigation Accept, so form actions answer 303 / HTML rather than JSON.
	const headers: Record<string, string | string[]> = req.bare ? {} : { ...FORWARDED, accept: NAV };
	// Node sends a DELETE body with neither Content-Length nor chunking unless told its length.
	if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
	for (const [name, value] of Object.entries(req.headers ?? {}))
		if (value !== undefined) headers[name] = value;
	return new Promise((resolve, reject) => {
		const r = request(
			// A connection per request: nothing one request leaves on a socket reaches the next.
			{
				host: '127.0.0.1',
				port,
				method: req.method ?? 'GET',
				path: req.path,
				headers,
				agent: false
			},
			(res) => {
				const chunks: Buffer[] = [];
				for (const line of res.headers['set-cookie'] ?? []) {
					const [, name, value] = /^([^=]*)=([^;]*)/.exec(line) ?? [];
					if ((name === JWT || name === REFRESH) && value) issued.add(value);
				}
				const done = () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						setCookies: res.headers['set-cookie'] ?? []
					});
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', done);
				res.on('error', reject);
				if (req.readMs !== undefined) {
					setTimeout(() => {
						done();
						r.destroy();
					}, req.readMs);
				}
			}
		);
		r.on('error', reject); // a no-op once resolved
		r.end(req.body);
	});
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A browser's cookie store for one site, fed by Set-Cookie lines. */
export class Jar {
	readonly values = new Map<string, string>();

	constructor(initial: Record<string, string> = {}) {
		for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
	}

	take(res: Res): this {
		for (const line of res.setCookies) {
			const [pair, ...attrs] = line.split(';');
			const eq = pair.indexOf('=');
			const name = pair.slice(0, eq).trim();
			const value = pair.slice(eq + 1).trim();
			const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
			if (gone) this.values.delete(name);
			else this.values.set(name, value);
		}
		return this;
	}

	get(name: string): string | undefined {
		return this.values.get(name);
	}

	header(): string {
		return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	clone(): Jar {
		return new Jar(Object.fromEntries(this.values));
	}
}

/** A request from this app's own pages: same origin, with the session cookies. */
export function sameOrigin(jar: Jar | null, extra: Record<string, string> = {}) {
	return { origin: APP, ...(jar && jar.values.size ? { cookie: jar.header() } : {}), ...extra };
}

export function uniqueEmail(tag: string): string {
	return `${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** POSTs the login or sign-up form as a browser without JavaScript would. */
export async function submitAuth(
	stack: Stack,
	flow: 'login' | 'signup',
	fields: Record<string, string>,
	jar: Jar | null = null
): Promise<Res> {
	return send(stack, {
		method: 'POST',
		path: `/${flow}`,
		headers: sameOrigin(jar, { 'content-type': 'application/x-www-form-urlencoded' }),
		body: form(fields)
	});
}

/** A new account, signed in: its jar holds both session cookies. */
export async function signUp(stack: Stack, tag = 'sec'): Promise<{ email: string; jar: Jar }> {
	const email = uniqueEmail(tag);
	const res = await submitAuth(stack, 'signup', { email, password: PASSWORD });
	const jar = new Jar().take(res);
	if (res.status !== 303 || !jar.get(JWT) || !jar.get(REFRESH))
		throw new Error(`sign-up failed: ${res.status} ${res.text.slice(0, 300)}`);
	return { email, jar };
}

export async function signIn(stack: Stack, email: string, jar = new Jar()): Promise<Jar> {
	const res = await submitAuth(stack, 'login', { email, password: PASSWORD }, jar);
	jar.take(res);
	if (res.status !== 303 || !jar.get(JWT)) throw new Error(`sign-in failed: ${res.status}`);
	return jar;
}

/** The protected page the suite signs in to: it asks the backend who is signed in. */
export const PROTECTED = '/account';
/** What PROTECTED renders for a signed-in user, and nothing else does. */
export const PROTECTED_MARK = '<h1>Account</h1>';

/** Whether the jar's session is accepted by the app and the backend: PROTECTED renders. */
export async function signedIn(stack: Stack, jar: Jar): Promise<boolean> {
	const res = await send(stack, { path: PROTECTED, headers: { cookie: jar.header() } });
	jar.take(res);
	return res.status === 200 && res.text.includes(PROTECTED_MARK);
}

/** The ids of the sessions of the jar's user, asked of the backend with its JWT; null if refused. */
export async function sessionIds(stack: Stack, jar: Jar): Promise<string[] | null> {
	const res = await backendQuery(stack, jar.get(JWT) ?? '', 'sessions:list');
	if (res.status !== 200) return null;
	return (JSON.parse(res.text) as { value: { id: string }[] }).value.map((s) => s.id);
}

/** The jar's user as the backend knows them (`users:me`); null if refused. */
export async function me(stack: Stack, jar: Jar): Promise<{ name: string } | null> {
	const res = await backendQuery(stack, jar.get(JWT) ?? '', 'users:me');
	return res.status === 200 ? (JSON.parse(res.text) as { value: { name: string } }).value : null;
}

/** The session a jar's JWT names (its `sub` is `userId|sessionId`). */
export function sessionOf(jar: Jar): string {
	const payload = JSON.parse(
		Buffer.from((jar.get(JWT) ?? '').split('.')[1] ?? '', 'base64url').toString()
	);
	return String(payload.sub).split('|')[1];
}

/** Calls this suite made itself on the backend's API, by function: not the app's doing. */
const ownCalls = new Map<string, number>();

/** Everything a forged request could change: the app's backend calls so far, the user, the sessions. */
export async function stateOf(stack: Stack, jar: Jar) {
	const state = { me: await me(stack, jar), sessions: await sessionIds(stack, jar) };
	const calls = (await stack.stats()).calls;
	for (const [path, n] of ownCalls) calls[path] = (calls[path] ?? 0) - n;
	return { calls, ...state };
}

/** A Convex function called directly on the emulator's HTTP API with a Bearer token. */
export async function backendQuery(stack: Stack, token: string, path = 'users:me') {
	ownCalls.set(path, (ownCalls.get(path) ?? 0) + 1);
	const res = await fetch(`${stack.convexUrl}/api/query`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ path, args: {}, format: 'json' })
	});
	return { status: res.status, text: await res.text() };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Raw HTTP against the built app, so paths and headers reach it byte for byte, and a cookie jar.
import { request, type IncomingHttpHeaders } from 'node:http';
import type { Stack } from './stack.ts';

/** What the TLS-terminating proxy in front of the app would add: the app's origin is APP. */
export const APP = 'https://app.example.com';
export const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com' };
export const JWT = '__Host-convex-jwt';
export const REFRESH = '__Host-convex-refresh';
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

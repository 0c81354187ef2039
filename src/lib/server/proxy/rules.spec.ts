import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { upstreamRequestHeaders, upstreamUrl } from './rules.ts';

const BASE = new URL('https://api.example.com/v1/');

describe('upstreamUrl', () => {
	it.each([
		['a parent segment', '../etc/passwd'],
		['parent segments that climb out of the base', 'a/../../x'],
		['a bare parent segment', '..'],
		['a bare dot segment', '.'],
		['a dot segment in the middle', 'a/./b'],
		['encoded dot segments the client double-encoded', '%2e%2e/x'],
		['double-encoded dot segments', '%252e%252e/x'],
		['encoded slashes around parent segments', 'a%2F..%2F..%2Fx'],
		['encoded slashes before a host', '%2F%2Fevil.com'],
		['a leading empty segment', '/evil.com'],
		['an empty segment', 'a//b'],
		['a backslash', 'a\\b'],
		['an encoded backslash', '%5C'],
		['a scheme with one slash', 'http:/evil.com'],
		['an absolute URL', 'https://evil.com/x'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a NUL byte', 'a/b\u0000'],
		['a newline', 'a\nb'],
		['a carriage return', 'a\rb'],
		['a tab', '\t'],
		['an encoded NUL byte', '%00'],
		['a 3000-character path', 'a'.repeat(3000)],
		['malformed percent-encoding', '%E0%A4%A'],
		['a lone surrogate', 'a\uD800'],
		['an empty path', '']
	])('refuses %s', (_, path) => {
		expect(upstreamUrl(BASE, path, '')).toBeNull();
	});

	it('refuses a query string with a newline or over 4096 characters', () => {
		expect(upstreamUrl(BASE, 'notes', '?a=1\nHost: evil.com')).toBeNull();
		expect(upstreamUrl(BASE, 'notes', '?a=' + 'x'.repeat(4094))).toBeNull();
	});

	it.each([
		['notes/export', '', 'https://api.example.com/v1/notes/export'],
		['a b', '', 'https://api.example.com/v1/a%20b'],
		['users/42', '?format=csv', 'https://api.example.com/v1/users/42?format=csv'],
		['café', '', 'https://api.example.com/v1/caf%C3%A9'],
		['what?#now', '', 'https://api.example.com/v1/what%3F%23now']
	])('maps %j with query %j to %s', (path, search, expected) => {
		expect(upstreamUrl(BASE, path, search)?.href).toBe(expected);
	});

	it('puts the path under a base that has no trailing slash', () => {
		expect(upstreamUrl(new URL('https://api.example.com/v1'), 'notes', '')?.href).toBe(
			'https://api.example.com/v1/notes'
		);
		expect(upstreamUrl(new URL('https://api.example.com'), 'notes', '')?.href).toBe(
			'https://api.example.com/notes'
		);
	});

	it('never leaves the base, even after the upstream decodes the path once more', () => {
		const piece = fc.constantFrom('/', '\\', '.', '..', '%2e', '%2F', '%5C', '%25', ':', '?', 'a');
		const path = fc.oneof(
			fc.string({ unit: 'binary' }),
			fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''))
		);
		fc.assert(
			fc.property(path, (path) => {
				const url = upstreamUrl(BASE, path, '');
				if (url === null) return;
				expect(url.origin).toBe(BASE.origin);
				expect(url.pathname.startsWith('/v1/')).toBe(true);
				const once = decodeURIComponent(url.pathname).split('/').slice(1);
				for (const segment of once) expect(['', '.', '..']).not.toContain(segment);
				expect(once.join('/')).not.toMatch(/\\/);
			}),
			{ numRuns: 5000 }
		);
		// 5000 bounded runs: the time says how busy the machine is, not whether the rule holds.
	}, 30_000);
});

describe('upstreamRequestHeaders', () => {
	const publicOrigin = new URL('https://app.example.com');
	const incoming = () =>
		new Headers({
			cookie: 'session=secret',
			authorization: 'Basic client',
			host: 'evil.com',
			connection: 'keep-alive, x-custom',
			'transfer-encoding': 'chunked',
			te: 'trailers',
			upgrade: 'websocket',
			'proxy-authorization': 'Basic proxy',
			'keep-alive': 'timeout=5',
			'x-forwarded-for': '6.6.6.6',
			'x-forwarded-proto': 'http',
			'x-forwarded-host': 'evil.com',
			'x-real-ip': '6.6.6.6',
			forwarded: 'for=6.6.6.6',
			'x-custom': 'nope',
			accept: 'application/json',
			'content-type': 'application/json',
			'if-none-match': '"abc"',
			range: 'bytes=0-9',
			'user-agent': 'test-agent'
		});
	const build = (token: string | null, origin: URL | null = publicOrigin) =>
		upstreamRequestHeaders(incoming(), {
			token,
			clientAddress: '203.0.113.7',
			publicOrigin: origin
		});

	it('passes exactly the allowed headers plus its own Authorization and X-Forwarded-*', () => {
		expect(Object.fromEntries(build('jwt'))).toEqual({
			accept: 'application/json',
			'content-type': 'application/json',
			'if-none-match': '"abc"',
			range: 'bytes=0-9',
			'user-agent': 'test-agent',
			authorization: 'Bearer jwt',
			'x-forwarded-for': '203.0.113.7',
			'x-forwarded-proto': 'https',
			'x-forwarded-host': 'app.example.com'
		});
	});

	it('tells the upstream no host or protocol when no public origin is configured', () => {
		const out = build('jwt', null);
		expect([out.has('x-forwarded-host'), out.has('x-forwarded-proto')]).toEqual([false, false]);
		expect(out.get('x-forwarded-for')).toBe('203.0.113.7');
	});

	it('sends no Authorization at all without a token', () => {
		expect(build(null).has('authorization')).toBe(false);
	});
});

import { describe, expect, it } from 'vitest';
import {
	SANDBOX_HEADERS,
	clientResponseHeaders,
	inertContentType,
	publicLocation
} from './response.ts';

const upstreamBase = new URL('https://api.example.com/v1');
const target = new URL('https://api.example.com/v1/notes/export');
const context = () => ({ target, upstream: upstreamBase, mount: '/api' });

/** Headers an upstream may send that would act on this app's origin if passed on. */
const ACTING_ON_THE_ORIGIN = {
	'set-cookie': 'a=1; Path=/',
	'clear-site-data': '"cookies", "storage"',
	refresh: '0;url=https://evil.example/',
	link: '<https://evil.example/x.js>; rel=preload; as=script',
	'content-security-policy': 'default-src *',
	'content-security-policy-report-only': 'default-src *',
	'www-authenticate': 'Basic realm="Sign in again"',
	'access-control-allow-origin': '*',
	'access-control-allow-credentials': 'true',
	'alt-svc': 'h3="evil.example:443"',
	'strict-transport-security': 'max-age=0',
	'service-worker-allowed': '/',
	'report-to': '{"url":"https://evil.example/r"}',
	nel: '{"report_to":"default"}',
	'permissions-policy': 'camera=*',
	'x-frame-options': 'ALLOWALL',
	'content-location': 'https://evil.example/',
	connection: 'close',
	'keep-alive': 'timeout=5',
	'x-internal-debug': 'secret'
};

/** Headers that describe the body: they pass. */
const DESCRIBING_THE_BODY = {
	'content-type': 'text/csv; charset=utf-8',
	'content-length': '42',
	'content-encoding': 'gzip',
	'content-language': 'en',
	'content-disposition': 'attachment; filename="notes.csv"',
	'content-range': 'bytes 0-41/100',
	'accept-ranges': 'bytes',
	etag: '"v1"',
	'last-modified': 'Tue, 01 Dec 2026 10:00:00 GMT',
	'cache-control': 'public, max-age=60',
	expires: 'Tue, 01 Dec 2026 11:00:00 GMT',
	vary: 'Accept',
	'retry-after': '30'
};

describe('clientResponseHeaders', () => {
	it('passes only the headers that describe the body, plus the sandbox', () => {
		const upstream = new Headers({ ...ACTING_ON_THE_ORIGIN, ...DESCRIBING_THE_BODY });
		expect(Object.fromEntries(clientResponseHeaders(upstream, context()))).toEqual({
			...DESCRIBING_THE_BODY,
			...SANDBOX_HEADERS
		});
	});

	it('sandboxes every response, and its CSP replaces the upstream one', () => {
		const upstream = new Headers({ 'content-security-policy': 'default-src *' });
		const out = clientResponseHeaders(upstream, context());
		expect(out.get('content-security-policy')).toBe(
			"default-src 'none'; sandbox; frame-ancestors 'none'"
		);
		expect(out.get('x-content-type-options')).toBe('nosniff');
		expect(out.get('cross-origin-resource-policy')).toBe('same-origin');
	});

	it('serves script and stylesheet types as text/plain', () => {
		const out = clientResponseHeaders(
			new Headers({ 'content-type': 'text/javascript' }),
			context()
		);
		expect(out.get('content-type')).toBe('text/plain');
	});

	it('rewrites a Location under the upstream base to the proxy and drops any other', () => {
		const location = (value: string) =>
			clientResponseHeaders(new Headers({ location: value }), context()).get('location');
		expect(location('/v1/notes/2')).toBe('/api/notes/2');
		expect(location('https://evil.example/')).toBeNull();
	});
});

describe('inertContentType', () => {
	it.each([
		['text/javascript', 'text/plain'],
		['application/javascript; charset=utf-8', 'text/plain; charset=utf-8'],
		['Application/X-JavaScript', 'text/plain'],
		['text/ecmascript', 'text/plain'],
		['application/x-ecmascript', 'text/plain'],
		['text/javascript1.5', 'text/plain'],
		['text/jscript', 'text/plain'],
		['text/livescript', 'text/plain'],
		['text/css;charset=utf-8', 'text/plain;charset=utf-8'],
		[' text/css ', 'text/plain']
	])('turns %j into %j', (type, expected) => {
		expect(inertContentType(type)).toBe(expected);
	});

	it.each([
		'application/json',
		'text/csv; charset=utf-8',
		'text/html',
		'image/png',
		'application/octet-stream',
		'text/plain'
	])('keeps %j', (type) => {
		expect(inertContentType(type)).toBe(type);
	});
});

describe('publicLocation', () => {
	const at = (location: string, base = upstreamBase) =>
		publicLocation(location, target, base, '/api');

	it.each([
		['/v1/notes/2', '/api/notes/2'],
		['2', '/api/notes/2'],
		['../users/me?x=1#top', '/api/users/me?x=1#top'],
		['https://api.example.com/v1/a%20b', '/api/a%20b']
	])('maps %j to %j', (location, expected) => {
		expect(at(location)).toBe(expected);
	});

	it('maps any path of an upstream served at its root', () => {
		expect(at('/x/y', new URL('https://api.example.com'))).toBe('/api/x/y');
	});

	it.each([
		['another origin', 'https://evil.example/v1/x'],
		['a protocol-relative URL', '//evil.example/v1/x'],
		['the upstream on another scheme', 'http://api.example.com/v1/x'],
		['the upstream on another port', 'https://api.example.com:8443/v1/x'],
		['a path outside the base', '/admin'],
		['a path that only starts like the base', '/v10/x'],
		['dot segments out of the base', '/v1/../admin'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a data: URL', 'data:text/html,<script>alert(1)</script>'],
		['an unparseable URL', 'http://[::1']
	])('refuses %s', (_, location) => {
		expect(at(location)).toBeNull();
	});
});

import { describe, expect, it } from 'vitest';
import { isAllowedOrigin } from './csrf.ts';

const APP = 'https://app.example.com';
const TRUSTED = ['https://partner.example.org'];

function request(method: string, headers: Record<string, string>, contentType?: string) {
	const init: RequestInit = { method, headers: { ...headers } };
	if (contentType) {
		(init.headers as Record<string, string>)['content-type'] = contentType;
		init.body = 'x=1';
	}
	return new Request(`${APP}/api/notes`, init);
}

const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];
const CONTENT_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'text/plaiN',
	'application/json',
	undefined
];

/** [what the request carries, its headers, whether it may change state] */
const ORIGINS: [string, Record<string, string>, boolean][] = [
	['the same Origin', { origin: APP }, true],
	['no Origin and Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }, true],
	['an allow-listed Origin', { origin: TRUSTED[0] }, true],
	['no Origin and no Sec-Fetch-Site', {}, false],
	['no Origin and Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }, false],
	['no Origin and Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site' }, false],
	['no Origin and Sec-Fetch-Site none', { 'sec-fetch-site': 'none' }, false],
	['Origin null', { origin: 'null' }, false],
	['a look-alike suffix Origin', { origin: 'https://app.example.com.evil.com' }, false],
	['a look-alike prefix Origin', { origin: 'https://evilapp.example.com' }, false],
	['a sibling subdomain Origin', { origin: 'https://other.example.com' }, false],
	['the app host over http', { origin: 'http://app.example.com' }, false],
	['the app host on another port', { origin: 'https://app.example.com:8443' }, false],
	['the app origin with a trailing slash', { origin: `${APP}/` }, false],
	[
		'a cross-site Origin with Sec-Fetch-Site same-origin',
		{ origin: 'https://evil.com', 'sec-fetch-site': 'same-origin' },
		false
	]
];

const matrix = UNSAFE.flatMap((method) =>
	CONTENT_TYPES.flatMap((type) =>
		ORIGINS.map(([origin, headers, allowed]) => ({
			verb: allowed ? 'allows' : 'refuses',
			method,
			type: type ?? 'no content type',
			contentType: type,
			origin,
			headers,
			allowed
		}))
	)
);

describe('isAllowedOrigin', () => {
	it.each(matrix)(
		'$verb $method with $type from $origin',
		({ method, contentType, headers, allowed }) => {
			expect(isAllowedOrigin(request(method, headers, contentType), APP, TRUSTED)).toBe(allowed);
		}
	);

	it.each(['GET', 'HEAD', 'OPTIONS'])(
		'always allows %s, even from a cross-site Origin',
		(method) => {
			const headers = { origin: 'https://evil.com', 'sec-fetch-site': 'cross-site' };
			expect(isAllowedOrigin(request(method, headers), APP, TRUSTED)).toBe(true);
		}
	);

	it('treats a lowercase patch, which fetch does not normalise, as unsafe', () => {
		const req = request('patch', { origin: 'https://evil.com' }, 'application/json');
		expect(req.method).toBe('patch');
		expect(isAllowedOrigin(req, APP, TRUSTED)).toBe(false);
	});

	// The code trusts a present Origin and reads Sec-Fetch-Site only when Origin is missing. A browser
	// never sends the app's own Origin with cross-site, so this combination cannot be forged by a page.
	it('allows the same Origin even when Sec-Fetch-Site says cross-site', () => {
		const headers = { origin: APP, 'sec-fetch-site': 'cross-site' };
		expect(isAllowedOrigin(request('POST', headers, 'application/json'), APP, TRUSTED)).toBe(true);
	});

	it('refuses an allow-listed origin once it is no longer on the list', () => {
		const req = request('POST', { origin: TRUSTED[0] }, 'application/json');
		expect(isAllowedOrigin(req, APP, [])).toBe(false);
	});
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loginUrl, safeRedirectPath } from './redirect.ts';
import { START } from '../app.ts';

const BASE = 'https://app.example';

describe('safeRedirectPath', () => {
	it.each([
		['a protocol-relative URL', '//evil.com'],
		['an absolute https URL', 'https://evil.com'],
		['a scheme without slashes', 'http:evil.com'],
		['a slash followed by a backslash', '/\\evil.com'],
		['two backslashes', '\\\\evil.com'],
		['encoded slashes', '/%2F%2Fevil.com'],
		['a lowercase encoded slash', '/%2f/evil.com'],
		['a fully encoded protocol-relative URL', '%2F%2Fevil.com'],
		['an encoded backslash', '/%5Cevil.com'],
		['double-encoded backslashes', '/%255C%255Cevil.com'],
		['triple-encoded backslashes', '/%25255C%25255Cevil.com'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a tab between the slashes', '/\t/evil.com'],
		['an encoded tab between the slashes', '/%09/evil.com'],
		['a newline between the slashes', '/\n/evil'],
		['a NUL byte', '/projects%00'],
		['a dot segment before the second slash', '/.//evil.com'],
		['an encoded dot segment before the second slash', '/%2e//evil.com'],
		['dot-dot segments that collapse into two slashes', '/a/../..//evil.com'],
		['an empty string', ''],
		['a bare host name', 'evil.com'],
		['a 3000-character path', '/' + 'a'.repeat(2999)],
		['malformed percent-encoding', '/%E0%A4%A']
	])('falls back for %s', (_, value) => {
		expect(safeRedirectPath(value)).toBe(`/${START.path}`);
	});

	it('falls back for null and undefined', () => {
		expect(safeRedirectPath(null)).toBe(`/${START.path}`);
		expect(safeRedirectPath(undefined)).toBe(`/${START.path}`);
	});

	it('uses the given fallback', () => {
		expect(safeRedirectPath('//evil.com', '/')).toBe('/');
	});

	it.each(['/projects', '/projects?x=1#top', '/account', '/a/b%20c'])(
		'keeps %s as it is',
		(value) => {
			expect(safeRedirectPath(value)).toBe(value);
		}
	);

	it('never returns a path that leaves the origin, whatever the input', () => {
		const piece = fc.constantFrom(
			'/',
			'\\',
			'.',
			'..',
			'%2e',
			'%2F',
			'%5C',
			'%25',
			'%09',
			'@',
			':',
			'?',
			'#',
			'evil.com'
		);
		const value = fc.array(piece, { maxLength: 8 }).map((parts) => '/' + parts.join(''));
		fc.assert(
			fc.property(value, (value) => {
				const path = safeRedirectPath(value);
				expect(path.startsWith('/') && !path.startsWith('//')).toBe(true);
				expect(new URL(path, BASE).origin).toBe(BASE);
			}),
			{ numRuns: 5000 }
		);
	});
});

describe('loginUrl', () => {
	it('sends the user back to the page and query they came from', () => {
		const url = loginUrl(new URL('http://x/projects?tab=2'));
		expect(url).toBe('/login?redirectTo=%2Fprojects%3Ftab%3D2');
		expect(safeRedirectPath(new URL(url, 'http://x').searchParams.get('redirectTo'))).toBe(
			'/projects?tab=2'
		);
	});

	it('links to the bare login page from the home page', () => {
		expect(loginUrl(new URL('http://x/'))).toBe('/login');
	});
});

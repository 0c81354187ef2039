import { describe, expect, it } from 'vitest';
import { sameOriginHref } from './links.ts';

const ORIGIN = 'https://app.example.com';

/** The URL the server or the browser builds for a request line's target. */
const requested = (target: string) => new URL(ORIGIN + target);

describe('sameOriginHref', () => {
	it.each([
		'//evil.test/login',
		'/\\evil.test/x',
		'///evil.com/x',
		'/notes/..//evil.com',
		'//evil.test/login?next=%2F%2Fevil',
		'/\\/evil.test',
		'//evil.test:8080/@x'
	])('resolves %s on this origin, to the very page that failed', (target) => {
		const url = requested(target);
		const href = sameOriginHref(url);
		const resolved = new URL(href, `${ORIGIN}/some/page`);
		expect(resolved.origin).toBe(ORIGIN);
		expect(resolved.pathname + resolved.search).toBe(url.pathname + url.search);
	});

	it('leaves an ordinary path as it is', () => {
		expect(sameOriginHref(requested('/notes?page=2'))).toBe('/notes?page=2');
	});
});

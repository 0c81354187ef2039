import { describe, expect, it } from 'vitest';
import { generateScopedKey, loadKeySet, parseKeyList } from './scoped-keys.ts';

describe('SCOPED_TOKEN_KEYS', () => {
	it('publishes the public half of every key and signs with the first', async () => {
		const [first, second] = [await generateScopedKey('ES256'), await generateScopedKey('RS256')];
		const set = await loadKeySet(parseKeyList(JSON.stringify([first, second])));
		expect(set.signing.kid).toBe(first.kid);
		expect(set.jwks.keys.map((k) => [k.kid, k.alg, k.use])).toEqual([
			[first.kid, 'ES256', 'sig'],
			[second.kid, 'RS256', 'sig']
		]);
		const text = JSON.stringify(set.jwks);
		for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
			for (const key of [first, second]) if (key[secret]) expect(text).not.toContain(key[secret]);
		}
	});

	it.each([
		['not JSON', 'nope'],
		['an empty list', '[]'],
		['a key without kid', JSON.stringify([{ alg: 'ES256', d: 'x' }])],
		[
			'two keys with one kid',
			JSON.stringify([
				{ kid: 'a', alg: 'ES256', d: 'x' },
				{ kid: 'a', alg: 'ES256', d: 'y' }
			])
		],
		[
			'an algorithm other than ES256 or RS256',
			JSON.stringify([{ kid: 'a', alg: 'HS256', d: 'x' }])
		],
		['a public key, which cannot sign', JSON.stringify([{ kid: 'a', alg: 'ES256' }])]
	])('refuses %s', (_, text) => {
		expect(() => parseKeyList(text)).toThrow(/SCOPED_TOKEN_KEYS/);
	});
});

import { beforeAll, describe, expect, it } from 'vitest';
import { hasInvisibleCharacters, normalizeEmail } from './email';
import { errorData, newTest, setAuthEnv, signIn } from './test.setup';

beforeAll(setAuthEnv);

describe('normalizeEmail', () => {
	it.each([
		['  Ada@Example.COM ', 'ada@example.com'],
		['re\u0301ne@example.com', 'r\u00e9ne@example.com'],
		['ＡＤＡ@ｅｘａｍｐｌｅ.ｃｏｍ', 'ada@example.com'],
		['RÉNE@EXAMPLE.COM', 'réne@example.com']
	])('reads %j as %j', (raw, expected) => {
		expect(normalizeEmail(raw)).toBe(expected.normalize('NFC'));
	});

	it('makes a decomposed accent and the precomposed one the same address', () => {
		expect(normalizeEmail('e\u0301@example.com')).toBe(normalizeEmail('\u00e9@example.com'));
	});
});

describe('hasInvisibleCharacters', () => {
	it.each([
		['a zero-width space', '\u200b'],
		['a zero-width joiner', '\u200d'],
		['a zero-width no-break space', '\ufeff'],
		['a right-to-left override', '\u202e'],
		['a left-to-right isolate', '\u2066'],
		['a soft hyphen', '\u00ad'],
		['a variation selector', '\ufe0f'],
		['a combining grapheme joiner', '\u034f'],
		['a control character', '\u0007'],
		['a private-use character', '\ue000']
	])('finds %s', (_, char) => {
		expect(hasInvisibleCharacters(`ad${char}a@example.com`)).toBe(true);
	});

	it('finds none in a plain or accented address', () => {
		expect(hasInvisibleCharacters('ada.lovelace+notes@example.com')).toBe(false);
		expect(hasInvisibleCharacters(normalizeEmail('re\u0301ne@exämple.com'))).toBe(false);
	});
});

describe('look-alike addresses in Convex', () => {
	it('signs up a decomposed twin of an existing address as that address: EMAIL_TAKEN', async () => {
		const t = newTest();
		await signIn(t, 'ren\u00e9@example.com');
		expect(await errorData(signIn(t, 'rene\u0301@example.com'))).toEqual({ code: 'EMAIL_TAKEN' });
		// And the decomposed spelling signs in to the same account.
		expect(
			(await signIn(t, 'RENE\u0301@example.com', 'correct horse', 'signIn')).token
		).toBeTruthy();
	});

	it.each([
		['a zero-width space', 'ada\u200b@example.com'],
		['a bidi override', 'ada\u202e@example.com'],
		['a variation selector', 'ada\ufe0f@example.com']
	])('refuses an address with %s, storing nothing', async (_, email) => {
		const t = newTest();
		await signIn(t, 'ada@example.com');
		expect(await errorData(signIn(t, email))).toEqual({ code: 'INVALID_EMAIL' });
		expect(await errorData(signIn(t, email, 'correct horse', 'signIn'))).toEqual({
			code: 'INVALID_EMAIL'
		});
		const users = await t.run((ctx) => ctx.db.query('users').collect());
		expect(users.map((u) => u.email)).toEqual(['ada@example.com']);
	});
});

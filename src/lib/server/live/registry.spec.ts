import { describe, expect, it } from 'vitest';
import { isLiveReadable } from './registry.ts';

describe('isLiveReadable', () => {
	it.each(['users:me'])('serves %s with no args', (name) => {
		expect(isLiveReadable(name, {})).toBe(true);
	});

	it.each(['users:me'])('refuses %s with any args', (name) => {
		expect(isLiveReadable(name, { userId: 'someone-else' })).toBe(false);
		expect(isLiveReadable(name, { limit: undefined })).toBe(false);
	});

	it.each([
		'users:rename',
		'sessions:revoke',
		'users:list',
		'users',
		'users:',
		'users:me ',
		'Users:me',
		'users.js:me',
		'users/me',
		'',
		'__proto__',
		'constructor'
	])('refuses %j, which is not on the allow-list', (name) => {
		expect(isLiveReadable(name, {})).toBe(false);
	});
});

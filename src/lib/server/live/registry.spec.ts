import { describe, expect, it } from 'vitest';
import { isLiveReadable } from './registry.ts';

describe('isLiveReadable', () => {
	it.each(['notes:list', 'users:me'])('serves %s with no args', (name) => {
		expect(isLiveReadable(name, {})).toBe(true);
	});

	it.each(['notes:list', 'users:me'])('refuses %s with any args', (name) => {
		expect(isLiveReadable(name, { userId: 'someone-else' })).toBe(false);
		expect(isLiveReadable(name, { limit: undefined })).toBe(false);
	});

	it.each([
		'notes:create',
		'notes:remove',
		'users:list',
		'notes',
		'notes:',
		'notes:list ',
		'Notes:list',
		'notes.js:list',
		'notes/list',
		'',
		'__proto__',
		'constructor'
	])('refuses %j, which is not on the allow-list', (name) => {
		expect(isLiveReadable(name, {})).toBe(false);
	});
});

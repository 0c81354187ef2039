import { describe, expect, it } from 'vitest';
import {
	MAX_QUERIES_PER_STREAM,
	decodeSubscriptions,
	encodeSubscriptions,
	sseFrame,
	type Subscription
} from './live-protocol.ts';

const NOTES: Subscription = ['notes:list', {}];
const ME: Subscription = ['users:me', {}];
const list = (n: number) => JSON.stringify(Array.from({ length: n }, () => NOTES));

describe('decodeSubscriptions', () => {
	it('reads back what encodeSubscriptions wrote', () => {
		const subs: Subscription[] = [NOTES, ME, ['notes:get', { id: 'n1', tags: ['a'] }]];
		expect(decodeSubscriptions(encodeSubscriptions(subs))).toEqual(subs);
	});

	it('accepts from one up to MAX_QUERIES_PER_STREAM queries', () => {
		expect(MAX_QUERIES_PER_STREAM).toBe(20);
		expect(decodeSubscriptions(list(1))).toEqual([NOTES]);
		expect(decodeSubscriptions(list(20))).toHaveLength(20);
	});

	it.each([
		['an empty list', list(0)],
		['21 queries', list(21)]
	])('refuses %s', (_, raw) => {
		expect(decodeSubscriptions(raw)).toBeNull();
	});

	it.each<[string, string | null]>([
		['a missing parameter', null],
		['an empty parameter', ''],
		['text that is not JSON', '[["notes:list",{}]'],
		['a JSON object', '{"notes:list":{}}'],
		['a JSON string', '"notes:list"'],
		['a bare name in the list', '["notes:list"]'],
		['a pair with a number for a name', '[[1,{}]]'],
		['a pair with null args', '[["notes:list",null]]'],
		['a pair with array args', '[["notes:list",[]]]'],
		['a pair with string args', '[["notes:list","x"]]'],
		['a triple', '[["notes:list",{},{}]]'],
		['an array-like object for a pair', '[{"0":"notes:list","1":{},"length":2}]'],
		['one bad entry among good ones', '[["notes:list",{}],["users:me"]]']
	])('refuses %s', (_, raw) => {
		expect(decodeSubscriptions(raw)).toBeNull();
	});

	it('accepts a parameter of 8192 characters and refuses one of 8193', () => {
		const sized = (length: number) => {
			const prefix = '[["notes:list",{"pad":"';
			const raw = prefix + 'x'.repeat(length - prefix.length - 4) + '"}]]';
			expect(raw).toHaveLength(length);
			return raw;
		};
		expect(decodeSubscriptions(sized(8192))).toHaveLength(1);
		expect(decodeSubscriptions(sized(8193))).toBeNull();
	});
});

describe('sseFrame', () => {
	it('names the event by its type and carries it as one JSON data line', () => {
		const event = { type: 'update', q: 2, value: { text: 'two\nlines' } } as const;
		const frame = sseFrame(event);
		expect(frame).toBe(`event: update\ndata: ${JSON.stringify(event)}\n\n`);
		expect(frame.split('\n')).toHaveLength(4);
		expect(JSON.parse(frame.split('\n')[1].slice('data: '.length))).toEqual(event);
	});

	it('frames the control events without a query index', () => {
		expect(sseFrame({ type: 'signed-out' })).toBe(
			'event: signed-out\ndata: {"type":"signed-out"}\n\n'
		);
		expect(sseFrame({ type: 'reauth' })).toBe('event: reauth\ndata: {"type":"reauth"}\n\n');
	});
});

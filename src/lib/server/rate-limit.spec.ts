import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('createRateLimiter', () => {
	it('allows a burst of `capacity`, then refuses with the seconds until the next token', () => {
		const take = createRateLimiter({ capacity: 3, refillPerMinute: 6 });
		expect([take('ip', 0), take('ip', 0), take('ip', 0)]).toEqual([0, 0, 0]);
		expect(take('ip', 0)).toBe(10);
		expect(take('ip', 4_000)).toBe(6);
	});

	it('refills over time, never above capacity', () => {
		const take = createRateLimiter({ capacity: 2, refillPerMinute: 60 });
		take('ip', 0);
		take('ip', 0);
		expect(take('ip', 1_000)).toBe(0);
		expect(take('ip', 1_000)).toBe(1);
		// An hour of rest still buys only `capacity` attempts.
		const later = 3_600_000;
		expect([take('ip', later), take('ip', later), take('ip', later)]).toEqual([0, 0, 1]);
	});

	it('counts each key on its own', () => {
		const take = createRateLimiter({ capacity: 1, refillPerMinute: 1 });
		expect(take('a', 0)).toBe(0);
		expect(take('a', 0)).toBeGreaterThan(0);
		expect(take('b', 0)).toBe(0);
	});

	it('forgets the oldest keys beyond maxKeys instead of growing without bound', () => {
		const take = createRateLimiter({ capacity: 1, refillPerMinute: 1, maxKeys: 2 });
		take('a', 0);
		take('b', 0);
		take('c', 0);
		// 'a' was dropped, so it starts with a full bucket again; 'c' is still limited.
		expect(take('a', 0)).toBe(0);
		expect(take('c', 0)).toBeGreaterThan(0);
	});
});

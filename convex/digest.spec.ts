import { describe, expect, it } from 'vitest';
import { sameDigest, sha256 } from './gate';

/** A digest that counts how many of its bytes were read. */
function counted(bytes: Uint8Array) {
	const seen = { reads: 0 };
	const proxy = new Proxy(bytes, {
		get(target, key) {
			if (typeof key === 'string' && /^\d+$/.test(key)) seen.reads++;
			return Reflect.get(target, key);
		}
	});
	return { proxy, seen };
}

describe('sameDigest', () => {
	it('tells equal digests from different ones', async () => {
		expect(sameDigest(await sha256('a'), await sha256('a'))).toBe(true);
		expect(sameDigest(await sha256('a'), await sha256('b'))).toBe(false);
		expect(sameDigest(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
	});

	it('reads every byte however early the first difference: the time says nothing', async () => {
		const a = await sha256('a');
		const differsFirst = Uint8Array.from(a, (x, i) => (i === 0 ? x ^ 1 : x));
		const { proxy, seen } = counted(a);
		expect(sameDigest(proxy, differsFirst)).toBe(false);
		expect(seen.reads).toBe(a.length);
	});
});

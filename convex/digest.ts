// SHA-256 and a comparison whose time does not depend on where two digests differ.

export async function sha256(text: string): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/**
 * Whether two digests are equal, looking at every byte whatever the first difference: the time
 * taken tells a guesser nothing about how close the guess came.
 */
export function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
	let difference = a.length ^ b.length;
	for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
	return difference === 0;
}

// One reading of an email address for the SvelteKit forms and the Convex functions alike.

// Control, format (zero-width, bidi controls, soft hyphen), private-use, unassigned and surrogate
// code points, plus everything Unicode says a renderer may show as nothing (variation selectors,
// fillers, the combining grapheme joiner): each lets two addresses look the same yet differ.
const INVISIBLE = /[\p{C}\p{Default_Ignorable_Code_Point}]/u;

/**
 * The address as stored and looked up: Unicode NFKC (so `e` + U+0301 is `é`, full-width letters
 * are ASCII), lower case (NFKC again, as lower-casing can decompose), no surrounding whitespace.
 */
export function normalizeEmail(raw: string): string {
	return raw.normalize('NFKC').toLowerCase().normalize('NFKC').trim();
}

/** Whether the address holds a character that displays as nothing or reorders the text around it. */
export function hasInvisibleCharacters(value: string): boolean {
	return INVISIBLE.test(value);
}

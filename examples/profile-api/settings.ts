// What the profile API stores for a user, and how it reads a request body.
import type { IncomingMessage } from 'node:http';

export type Settings = { displayName: string; theme: 'system' | 'light' | 'dark' };
const THEMES: readonly string[] = ['system', 'light', 'dark'];
const MAX_BODY = 4096;

/** The body as JSON; a RangeError past 4 KB, more than settings ever need. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
	let size = 0;
	const chunks: Buffer[] = [];
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY) throw new RangeError('too large');
		chunks.push(chunk);
	}
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** A valid settings object from a request body, or null. */
export function parseSettings(body: unknown): Settings | null {
	if (typeof body !== 'object' || body === null) return null;
	const { displayName, theme } = body as Record<string, unknown>;
	if (typeof displayName !== 'string' || displayName.trim().length > 60) return null;
	if (typeof theme !== 'string' || !THEMES.includes(theme)) return null;
	return { displayName: displayName.trim(), theme: theme as Settings['theme'] };
}

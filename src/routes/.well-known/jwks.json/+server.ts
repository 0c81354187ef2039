import { json } from '@sveltejs/kit';
import { publishedKeys } from '#lib/server/backends/index.ts';
import type { RequestHandler } from './$types';

// Public keys only, the same for everyone: backends and their caches may keep them a few minutes.
// A rotation publishes the new key well before it signs (docs/other-backends.md), so a cached copy
// never lacks the key a current token needs.
export const GET = (async () =>
	json(await publishedKeys(), {
		headers: { 'cache-control': 'public, max-age=300' }
	})) satisfies RequestHandler;

import { error } from '@sveltejs/kit';
import { config } from '#lib/server/config.ts';
import { proxy } from '#lib/server/proxy.ts';
import { bearerFor } from '#lib/server/backends.ts';
import type { RequestHandler } from './$types';

// Every method lands here; the proxy itself answers 405 for the ones it does not forward.
export const fallback = (async (event) => {
	if (!config.proxy) error(404, 'Not found');
	return proxy(event, event.params.path, { ...config.proxy, bearer: bearerFor });
}) satisfies RequestHandler;

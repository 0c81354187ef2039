// The `/api` proxy, an optional part: `/api/<path>` forwarded to API_UPSTREAM_URL with the user's
// Bearer token (docs/proxy.md). Off unless API_PROXY=on; delete this folder and
// src/routes/api/ to remove it.
import { error, type RequestEvent } from '@sveltejs/kit';
import { bearerFor } from '../backends/index.ts';
import { config } from '../config.ts';
import { proxy } from './forward.ts';

/** Every method of `/api/[...path]` lands here; the proxy itself answers 405 for the ones it does not forward. */
export function proxyApi(event: RequestEvent<{ path: string }>): Promise<Response> {
	if (!config.proxy) error(404, 'Not found');
	return proxy(event, event.params.path, { ...config.proxy, bearer: bearerFor });
}

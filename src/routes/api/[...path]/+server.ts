import { proxyApi } from '#lib/server/proxy/index.ts';
import type { RequestHandler } from './$types';

export const fallback = proxyApi satisfies RequestHandler;

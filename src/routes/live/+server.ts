import { openLiveStream } from '#lib/server/live/index.ts';
import type { RequestHandler } from './$types';

export const GET = openLiveStream satisfies RequestHandler;

// Floor for P6: the least a SvelteKit endpoint does to hold an event stream open — a ReadableStream
// with the stream's first values, nothing else per stream.
import type { RequestHandler } from '@sveltejs/kit';

const frames = new TextEncoder().encode(
	[0, 1].map((q) => `event: update\ndata: {"type":"update","q":${q},"value":null}\n\n`).join('')
);

export const GET: RequestHandler = () =>
	new Response(
		new ReadableStream({ start: (controller) => controller.enqueue(frames) }, { highWaterMark: 0 }),
		{ headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } }
	);

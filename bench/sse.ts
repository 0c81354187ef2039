// A minimal /live client for benchmarks: many streams from one process, events to a callback.
import { request, type ClientRequest } from 'node:http';
import {
	LIVE_PATH,
	encodeSubscriptions,
	type LiveEvent,
	type Subscription
} from '../src/lib/live-protocol.ts';
import { appHeaders } from './stack.ts';

export type OpenStream = { close: () => void; ready: Promise<void> };

export function openStream(
	app: string,
	cookie: string,
	subs: Subscription[],
	onEvent: (e: LiveEvent) => void,
	path = LIVE_PATH
): OpenStream {
	const url = new URL(`${path}?q=${encodeURIComponent(encodeSubscriptions(subs))}`, app);
	let req: ClientRequest;
	const ready = new Promise<void>((resolve, reject) => {
		req = request(
			url,
			{ headers: { ...appHeaders(app, cookie), accept: 'text/event-stream' } },
			(res) => {
				if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}`));
				resolve();
				let buffer = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					buffer += chunk;
					let end: number;
					while ((end = buffer.indexOf('\n\n')) >= 0) {
						const data = buffer
							.slice(0, end)
							.split('\n')
							.find((l) => l.startsWith('data: '));
						buffer = buffer.slice(end + 2);
						if (data) onEvent(JSON.parse(data.slice(6)));
					}
				});
			}
		);
		req.on('error', reject);
		req.end();
	});
	return { ready, close: () => req.destroy() };
}

// The browser end of /live: one stream per tab carrying every subscription on the page, reopened
// (batched per tick) when the set changes, after a reauth, or with backoff after a failure.
import { invalidateAll } from '$app/navigation';
import {
	LIVE_PATH,
	encodeSubscriptions,
	type LiveEvent,
	type Subscription
} from './live-protocol.ts';

export type Message = Extract<LiveEvent, { q: number }>;
type Entry = { sub: Subscription; listeners: Set<(m: Message) => void>; last: Message | null };

const entries = new Map<string, Entry>();
let current: { keys: string[]; abort: AbortController } | null = null;
let scheduled = false;
let retryMs = 500;

/** Subscription changes within one tick become one reopen. */
function schedule() {
	if (scheduled) return;
	scheduled = true;
	queueMicrotask(() => {
		scheduled = false;
		const keys = [...entries.keys()];
		if (current && keys.join('\n') === current.keys.join('\n')) return;
		current?.abort.abort();
		current = null;
		if (keys.length) void connect(keys);
	});
}

function deliver(keys: string[], event: LiveEvent) {
	if (event.type === 'update' || event.type === 'error') {
		const entry = entries.get(keys[event.q]);
		if (!entry) return;
		entry.last = event;
		for (const listener of entry.listeners) listener(event);
	}
}

async function connect(keys: string[]) {
	const abort = new AbortController();
	const openedAt = Date.now();
	current = { keys, abort };
	const subs = keys.map((k) => entries.get(k)!.sub);
	let ended: 'reauth' | 'signed-out' | null = null;
	let refused: string | null = null;
	try {
		const res = await fetch(`${LIVE_PATH}?q=${encodeURIComponent(encodeSubscriptions(subs))}`, {
			headers: { accept: 'text/event-stream' },
			signal: abort.signal
		});
		if (res.status === 401) ended = 'signed-out';
		else if (res.status === 403) refused = await refusalOf(res);
		else if (!res.ok || !res.body) throw new Error(`live stream refused: ${res.status}`);
		else {
			retryMs = 500;
			const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
			let buffer = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done) break;
				buffer += value;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const frame = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = frame.split('\n').find((l) => l.startsWith('data: '));
					if (!data) continue; // heartbeat
					const event = JSON.parse(data.slice(6)) as LiveEvent;
					if (event.type === 'reauth' || event.type === 'signed-out') ended = event.type;
					else deliver(keys, event);
				}
			}
		}
	} catch {
		if (abort.signal.aborted) return;
	}
	if (current?.abort !== abort) return;
	current = null;
	if (refused !== null) {
		// Permanent until the code changes (a query missing from the server's allowlist): say so, on
		// the console and in every live() of the stream, and wait for the page's set to change.
		console.error(`[live] ${refused}`);
		for (const key of keys) {
			const entry = entries.get(key);
			if (!entry) continue;
			entry.last = { type: 'error', q: -1, message: refused };
			for (const l of entry.listeners) l(entry.last);
		}
		return;
	}
	if (ended === 'signed-out') {
		// The session is over: rerun the loads, so the page shows the signed-out state.
		for (const entry of entries.values()) {
			for (const l of entry.listeners) l({ type: 'error', q: -1, message: 'Signed out' });
		}
		await invalidateAll();
		return;
	}
	// Reauth reopens at once (that request refreshes the session); failures, and reauths that come
	// straight back (the refresh did not happen), back off up to 5 s.
	const prompt = ended === 'reauth' && Date.now() - openedAt > 2000;
	const delay = prompt ? 0 : retryMs;
	if (!prompt) retryMs = Math.min(retryMs * 2, 5000);
	setTimeout(() => current || schedule(), delay);
}

async function refusalOf(res: Response): Promise<string> {
	const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
	return typeof body?.message === 'string' ? body.message : `live stream refused: ${res.status}`;
}

/** Adds a listener for `sub`; returns the function that removes it. */
export function subscribe(sub: Subscription, listener: (m: Message) => void): () => void {
	const key = JSON.stringify(sub);
	let entry = entries.get(key);
	if (!entry) {
		entry = { sub, listeners: new Set(), last: null };
		entries.set(key, entry);
		schedule();
	}
	entry.listeners.add(listener);
	if (entry.last) listener(entry.last);
	return () => {
		entry.listeners.delete(listener);
		if (entry.listeners.size === 0) {
			entries.delete(key);
			schedule();
		}
	};
}

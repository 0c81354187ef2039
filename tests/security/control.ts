// A stack's emulator seen through its control port (emulator/control.ts): the calls the app made,
// and the backend or the offline OpenID provider taken down and brought back.
import { request } from 'node:http';

export type Stats = { connections: number; subscriptions: number; calls: Record<string, number> };

export type Control = {
	stats: () => Promise<Stats>;
	/** Calls of one backend function so far. */
	calls: (fn: string) => Promise<number>;
	/** The backend goes down (`pause`: every connection dropped, data kept) or comes back. */
	backend: (action: 'pause' | 'resume') => Promise<void>;
	/** The offline OpenID provider (`opts.oidc`) goes down or comes back. */
	oidc: (action: 'pause' | 'resume') => Promise<void>;
};

export function control(port: number): Control {
	const stats = async () => JSON.parse(await call(port, 'GET', '/stats')) as Stats;
	return {
		stats,
		calls: async (fn) => (await stats()).calls[fn] ?? 0,
		backend: async (action) => void (await call(port, 'POST', `/${action}`)),
		oidc: async (action) => void (await call(port, 'POST', `/oidc/${action}`))
	};
}

/**
 * A call to the control port; rejects unless it answers 2xx. node:http, not fetch: fetch refuses
 * some ports (3659 is on its "bad ports" list).
 */
function call(port: number, method: string, path: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () =>
				(res.statusCode ?? 0) < 300
					? resolve(text)
					: reject(new Error(`${method} ${path}: ${res.statusCode}`))
			);
		});
		req.on('error', reject);
		req.end();
	});
}

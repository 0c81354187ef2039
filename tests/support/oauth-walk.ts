// A scripted browser for OAuth round trips without Chromium: one cookie jar (cookies ignore the
// port, as browsers' do, and every offline service is on 127.0.0.1), redirects followed by hand so a
// test can stop, look and tamper at any hop.

/** Where a URL is actually fetched, for an origin served elsewhere (an app behind a proxy). */
export type Route = (url: URL) => { url: string; headers: Record<string, string> } | null;

export class Walker {
	readonly cookies = new Map<string, string>();
	/** Every URL visited, in order. */
	readonly visited: string[] = [];
	private readonly route: Route;

	constructor(route: Route = () => null) {
		this.route = route;
	}

	async request(url: string, init: RequestInit = {}): Promise<Response> {
		this.visited.push(url);
		const routed = this.route(new URL(url));
		const headers = new Headers({ ...routed?.headers });
		new Headers(init.headers).forEach((value, name) => headers.set(name, value));
		const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
		if (cookie) headers.set('cookie', cookie);
		const response = await fetch(routed?.url ?? url, { ...init, headers, redirect: 'manual' });
		for (const line of response.headers.getSetCookie()) this.keep(line);
		return response;
	}

	/**
	 * Follows redirects from `url` until a response that is not one, or until the next location
	 * satisfies `stop` (that location is returned unvisited).
	 */
	async follow(
		url: string,
		stop: (next: URL) => boolean = () => false,
		init?: RequestInit
	): Promise<{ response: Response | null; url: URL }> {
		let current = new URL(url);
		let response = await this.request(current.href, init);
		for (let hops = 0; hops < 20; hops++) {
			const location = response.headers.get('location');
			if (response.status < 300 || response.status >= 400 || location === null) {
				return { response, url: current };
			}
			current = new URL(location, current);
			if (stop(current)) return { response: null, url: current };
			response = await this.request(current.href);
		}
		throw new Error(`Too many redirects from ${url}`);
	}

	/** Submits the offline provider's sign-in form (`allow` or `deny`) on the page at `page`. */
	async decide(page: URL, username: string, password: string, decision: 'allow' | 'deny') {
		const body = new URLSearchParams({ username, password, decision });
		return this.request(page.href, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body
		});
	}

	private keep(line: string) {
		const [pair, ...attributes] = line.split(';').map((part) => part.trim());
		const split = pair.indexOf('=');
		const name = pair.slice(0, split);
		const value = pair.slice(split + 1);
		const expired = attributes.some(
			(a) => /^max-age=(0|-\d+)$/i.test(a) || /^expires=.*1970/i.test(a)
		);
		if (expired || value === '') this.cookies.delete(name);
		else this.cookies.set(name, value);
	}
}

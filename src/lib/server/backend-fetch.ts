/**
 * `event.fetch` to an allow-listed backend origin carries the user's Bearer token and never the
 * browser's cookies; requests anywhere else are left exactly as they were.
 */
export function withBearer(
	request: Request,
	token: string | null,
	backends: ReadonlySet<string>
): Request {
	if (!backends.has(new URL(request.url).origin)) return request;
	const headers = new Headers(request.headers);
	headers.delete('cookie');
	if (token) headers.set('authorization', `Bearer ${token}`);
	else headers.delete('authorization');
	// 'omit': SvelteKit's fetch would otherwise add the cookies back for subdomains of the app's host.
	return new Request(request, { headers, credentials: 'omit' });
}

// Whether a server started by a test or the bench is up yet. node:http, not fetch: fetch refuses
// some ports (3659 is on its "bad ports" list). Up means any answer below 500, read from the status
// line alone, so an event stream counts at once and is not left open.
import { request } from 'node:http';

/** The status `url` answers with, or 0 when nothing answers within 2 s. */
function status(url: string): Promise<number> {
	return new Promise((resolve) => {
		const req = request(url, { timeout: 2_000 }, (res) => {
			resolve(res.statusCode ?? 0);
			req.destroy();
		});
		req.on('timeout', () => req.destroy());
		req.on('error', () => resolve(0));
		req.end();
	});
}

/** Whether `url` answers below 500 now. */
export async function answers(url: string): Promise<boolean> {
	const code = await status(url);
	return code > 0 && code < 500;
}

/**
 * Resolves once `url` answers below 500; rejects after `timeoutMs`, or as soon as `exited()` says
 * the process that should answer is gone.
 */
export async function answering(
	url: string,
	{ timeoutMs = 60_000, exited = () => false }: { timeoutMs?: number; exited?: () => boolean } = {}
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await answers(url))) {
		if (exited()) throw new Error(`${url}: its process exited`);
		if (Date.now() > deadline)
			throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
		await new Promise((r) => setTimeout(r, 150));
	}
}

// A hostile page on another origin, in the victim's own browser: nothing it does may change the
// victim's state or read their data. Two attackers: a cross-site one (localhost vs 127.0.0.1) and a
// same-site one on another port of 127.0.0.1, which SameSite=Lax cookies do reach.
import { createServer, type Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { port } from '../support/ports.ts';
import { rename, signUp, visit } from './helpers.ts';
import { stacks } from './stacks.ts';

const EVIL_PORT = port('E2E_EVIL_PORT');
const app = stacks.main.url; // http://127.0.0.1:4173
let server: Server;

function page(body: string) {
	return `<!doctype html><html><body>${body}</body></html>`;
}

const attacks: Record<string, string> = {
	'/form-post':
		page(`<form method="POST" action="${app}/account?/rename"><input name="name" value="planted by form"></form>
		<script>document.forms[0].submit()</script>`),
	'/text-plain': page(`<form method="POST" enctype="text/plain" action="${app}/api/me">
		<input name='{"name":"planted by text/plain","x":"' value='"}'></form><script>document.forms[0].submit()</script>`),
	'/fetch': page(`<script>
		window.results = [];
		const note = (r) => window.results.push(r);
		fetch('${app}/api/me', { credentials: 'include' }).then((r) => r.text()).then(note, (e) => note('blocked: ' + e));
		fetch('${app}/api/me', { method: 'POST', credentials: 'include', mode: 'no-cors',
			headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ name: 'planted by fetch' }) })
			.then(() => note('sent'), (e) => note('blocked: ' + e));
		fetch('${app}/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' }).then(() => note('sent'), () => note('blocked'));
	</script>`),
	'/live': page(`<script>
		window.results = [];
		const es = new EventSource('${app}/live?q=' + encodeURIComponent(JSON.stringify([['users:me', {}]])), { withCredentials: true });
		es.onmessage = (e) => window.results.push('data: ' + e.data);
		es.addEventListener('update', (e) => window.results.push('update: ' + e.data));
		es.onerror = () => { window.results.push('error'); es.close(); };
		try {
			const ws = new WebSocket('${app.replace('http', 'ws')}/live');
			ws.onmessage = (e) => window.results.push('ws: ' + e.data);
			ws.onerror = () => window.results.push('ws error');
			ws.onclose = () => window.results.push('ws closed');
		} catch (e) { window.results.push('ws closed'); }
	</script>`)
};

test.beforeAll(async () => {
	server = createServer((req, res) => {
		const body = attacks[(req.url ?? '').split('?')[0]];
		res.writeHead(body ? 200 : 404, { 'content-type': 'text/html' }).end(body ?? '');
	});
	await new Promise<void>((resolve) => server.listen(EVIL_PORT, resolve));
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * What the app answered to the attacker page's requests whose URL contains `match`, in the order
 * sent; call it again for the latest. The browser hides a CORS-blocked response from the page (and
 * from Playwright's events); the DevTools protocol still shows the status the server sent. Its
 * events for one request may come in either order, and after the page has seen the response.
 */
async function serverStatuses(attacker: Page, match: string) {
	const requests = new Map<string, string>();
	const statuses = new Map<string, number>();
	const cdp = await attacker.context().newCDPSession(attacker);
	await cdp.send('Network.enable');
	cdp.on('Network.requestWillBeSent', (e) => {
		if (e.request.url.startsWith(app) && e.request.url.includes(match))
			requests.set(e.requestId, e.request.method);
	});
	cdp.on('Network.responseReceivedExtraInfo', (e) => void statuses.set(e.requestId, e.statusCode));
	return () =>
		[...requests].flatMap(([id, method]) =>
			statuses.has(id) ? [{ method, status: statuses.get(id)! }] : []
		);
}

/** The POSTs the app has answered so far, and how. */
const posts = (answered: () => { method: string; status: number }[]) =>
	answered().filter((s) => s.method === 'POST');

/** Signs up and names the victim: the name is what the attacks try to change or read. */
async function victim(page: Page, name: string) {
	await signUp(page);
	await visit(page, '/account');
	await rename(page, name);
}

/** The victim's name as the app now shows it, on a fresh load; the victim is still signed in. */
async function victimName(page: Page) {
	await page.goto(`${app}/account`);
	await expect(page).toHaveURL(/\/account$/); // still signed in
	return page.getByLabel('Name', { exact: true }).inputValue();
}

for (const evil of [`http://localhost:${EVIL_PORT}`, `http://127.0.0.1:${EVIL_PORT}`]) {
	test.describe(`an attacker page at ${evil}`, () => {
		test('cannot post forms, text/plain bodies or fetches that change anything', async ({
			page,
			context
		}) => {
			await victim(page, 'victim name');

			const attacker = await context.newPage();
			const answered = await serverStatuses(attacker, '/');
			const refused = (n: number) =>
				Array.from({ length: n }, () => ({ method: 'POST', status: 403 }));
			// Each page's POST answered before the next page replaces it; every one refused as cross-site.
			await attacker.goto(`${evil}/form-post`);
			await expect.poll(() => posts(answered)).toEqual(refused(1));
			await attacker.goto(`${evil}/text-plain`);
			await expect.poll(() => posts(answered)).toEqual(refused(2));
			await attacker.goto(`${evil}/fetch`);
			await expect.poll(() => posts(answered)).toEqual(refused(4));
			await expect
				.poll(() =>
					attacker.evaluate(() => (window as unknown as { results: string[] }).results.length)
				)
				.toBe(3);
			const results = await attacker.evaluate(
				() => (window as unknown as { results: string[] }).results
			);
			expect(results.join('\n')).not.toContain('victim name');

			expect(await victimName(page)).toBe('victim name');
		});

		test('cannot sign the victim out with a top-level GET to /logout', async ({
			page,
			context
		}) => {
			await victim(page, 'still here');
			const attacker = await context.newPage();
			await attacker.goto(`${evil}/form-post`); // any attacker page first, then a navigation
			await attacker.goto(`${app}/logout`);
			await expect(attacker.getByRole('heading', { name: 'Sign out' })).toBeVisible();
			expect(await victimName(page)).toBe('still here');
		});

		test('cannot open the live stream, over SSE or a WebSocket', async ({ page, context }) => {
			await victim(page, 'live secret');
			const attacker = await context.newPage();
			const answered = await serverStatuses(attacker, '/live?');
			await attacker.goto(`${evil}/live`);
			// Both channels are over once the EventSource has failed (it is then closed) and the
			// WebSocket has closed: nothing can arrive after that.
			const results = () =>
				attacker.evaluate(() => (window as unknown as { results: string[] }).results);
			await expect.poll(results).toEqual(expect.arrayContaining(['error', 'ws closed']));
			expect((await results()).join('\n')).not.toContain('live secret');
			expect((await results()).some((r) => r.startsWith('update') || r.startsWith('ws:'))).toBe(
				false
			);
			// Refused by the server itself, not only unreadable thanks to CORS: no stream was opened.
			await expect.poll(answered).toEqual([{ method: 'GET', status: 403 }]);
		});
	});
}

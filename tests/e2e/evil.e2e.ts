// A hostile page on another origin, in the victim's own browser: nothing it does may change the
// victim's state or read their data. Two attackers: a cross-site one (localhost vs 127.0.0.1) and a
// same-site one on another port of 127.0.0.1, which SameSite=Lax cookies do reach.
import { createServer, type Server } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { signUp, submitNote } from './helpers.ts';
import { stacks } from './stacks.ts';

const EVIL_PORT = 4398;
const app = stacks.main.url; // http://127.0.0.1:4173
let server: Server;

function page(body: string) {
	return `<!doctype html><html><body>${body}</body></html>`;
}

const attacks: Record<string, string> = {
	'/form-post':
		page(`<form method="POST" action="${app}/notes?/create"><input name="text" value="planted by form"></form>
		<script>document.forms[0].submit()</script>`),
	'/text-plain': page(`<form method="POST" enctype="text/plain" action="${app}/api/notes/import">
		<input name='{"notes":["planted by text/plain"],"x":"' value='"}'></form><script>document.forms[0].submit()</script>`),
	'/fetch': page(`<script>
		window.results = [];
		const note = (r) => window.results.push(r);
		fetch('${app}/api/notes/export', { credentials: 'include' }).then((r) => r.text()).then(note, (e) => note('blocked: ' + e));
		fetch('${app}/api/notes/import', { method: 'POST', credentials: 'include', mode: 'no-cors',
			headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ notes: ['planted by fetch'] }) })
			.then(() => note('sent'), (e) => note('blocked: ' + e));
		fetch('${app}/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' }).then(() => note('sent'), () => note('blocked'));
	</script>`),
	'/live': page(`<script>
		window.results = [];
		const es = new EventSource('${app}/live?q=' + encodeURIComponent(JSON.stringify([['notes:list', {}]])), { withCredentials: true });
		es.onmessage = (e) => window.results.push('data: ' + e.data);
		es.addEventListener('update', (e) => window.results.push('update: ' + e.data));
		es.onerror = () => { window.results.push('error'); es.close(); };
		try {
			const ws = new WebSocket('${app.replace('http', 'ws')}/live');
			ws.onmessage = (e) => window.results.push('ws: ' + e.data);
			ws.onerror = () => window.results.push('ws error');
		} catch (e) { window.results.push('ws blocked'); }
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
 * What the app answered to the attacker page's requests whose URL contains `match`. The browser
 * hides a CORS-blocked response from the page (and from Playwright's events); the DevTools protocol
 * still shows the status the server sent.
 */
async function serverStatuses(attacker: Page, match: string) {
	const seen: { method: string; status: number }[] = [];
	const methods = new Map<string, string>();
	const cdp = await attacker.context().newCDPSession(attacker);
	await cdp.send('Network.enable');
	cdp.on('Network.requestWillBeSent', (e) => {
		if (e.request.url.startsWith(app) && e.request.url.includes(match))
			methods.set(e.requestId, e.request.method);
	});
	cdp.on('Network.responseReceivedExtraInfo', (e) => {
		const method = methods.get(e.requestId);
		if (method) seen.push({ method, status: e.statusCode });
	});
	return seen;
}

async function victimNotes(page: Page) {
	await page.goto(`${app}/notes`);
	await expect(page).toHaveURL(/\/notes$/); // still signed in
	return page.locator('.notes li').allTextContents();
}

for (const evil of [`http://localhost:${EVIL_PORT}`, `http://127.0.0.1:${EVIL_PORT}`]) {
	test.describe(`an attacker page at ${evil}`, () => {
		test('cannot post forms, text/plain bodies or fetches that change anything', async ({
			page,
			context
		}) => {
			await signUp(page);
			await submitNote(page, 'victim note');
			await expect(page.locator('.notes li')).toHaveCount(1);

			const attacker = await context.newPage();
			const statuses = await serverStatuses(attacker, '/');
			for (const path of ['/form-post', '/text-plain']) {
				await attacker.goto(`${evil}${path}`);
				await attacker.waitForLoadState('networkidle');
			}
			await attacker.goto(`${evil}/fetch`);
			await expect
				.poll(() =>
					attacker.evaluate(() => (window as unknown as { results: string[] }).results.length)
				)
				.toBe(3);
			const results = await attacker.evaluate(
				() => (window as unknown as { results: string[] }).results
			);
			expect(results.join('\n')).not.toContain('victim note');

			expect(await victimNotes(page)).toHaveLength(1);
			// Every state-changing request was refused by the server as cross-site.
			const posts = statuses.filter((s) => s.method === 'POST');
			expect(posts).toHaveLength(4);
			expect(posts.every((s) => s.status === 403)).toBe(true);
		});

		test('cannot sign the victim out with a top-level GET to /logout', async ({
			page,
			context
		}) => {
			await signUp(page);
			const attacker = await context.newPage();
			await attacker.goto(`${evil}/form-post`); // any attacker page first, then a navigation
			await attacker.goto(`${app}/logout`);
			await expect(attacker.getByRole('heading', { name: 'Sign out' })).toBeVisible();
			expect(await victimNotes(page)).toEqual([]);
		});

		test('cannot open the live stream, over SSE or a WebSocket', async ({ page, context }) => {
			await signUp(page);
			await submitNote(page, 'live secret');
			await expect(page.locator('.notes li')).toHaveCount(1);
			const attacker = await context.newPage();
			const statuses = await serverStatuses(attacker, '/live?');
			await attacker.goto(`${evil}/live`);
			await expect
				.poll(() => attacker.evaluate(() => (window as unknown as { results: string[] }).results))
				.toContain('error');
			await attacker.waitForTimeout(500);
			const results = await attacker.evaluate(
				() => (window as unknown as { results: string[] }).results
			);
			expect(results.join('\n')).not.toContain('live secret');
			expect(results.some((r) => r.startsWith('update') || r.startsWith('ws:'))).toBe(false);
			// Refused by the server itself, not only unreadable thanks to CORS: no stream was opened.
			expect(statuses.length).toBeGreaterThan(0);
			expect(statuses.every((s) => s.status === 403)).toBe(true);
		});
	});
}

// The attack suite's stacks move with SECURITY_APP_PORT / SECURITY_BACKEND_PORT, so the suite can
// run beside another that holds the defaults (a dev server, another checkout's tests).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { port } from '../support/ports.ts';
import { startStack, type Stack } from './stack.ts';

let stack: Stack;
/** The default ports of stack 0, held by someone else for the whole test. */
const squatters: Server[] = [];

beforeAll(async () => {
	for (const p of [port('SECURITY_APP_PORT', {}), port('SECURITY_BACKEND_PORT', {})]) {
		const server = createServer((_req, res) => res.writeHead(418).end());
		await new Promise<void>((resolve) => server.listen(p, '127.0.0.1', resolve));
		squatters.push(server);
	}
	vi.stubEnv('SECURITY_APP_PORT', '4660');
	vi.stubEnv('SECURITY_BACKEND_PORT', '3860');
	stack = await startStack(0);
});
afterAll(async () => {
	await stack?.stop();
	vi.unstubAllEnvs();
	for (const server of squatters) server.close();
});

test('a stack starts on the ports the variables name while the defaults are taken', async () => {
	expect(stack.port).toBe(4660);
	expect(stack.convexUrl).toBe('http://127.0.0.1:3860');
	expect(await stack.alive()).toBe(true);
	const page = await fetch(`http://127.0.0.1:4660/login`, {
		headers: { 'x-forwarded-proto': 'https' }
	});
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('<form');
	// The emulator's control port moved with it (SECURITY_BACKEND_PORT + 9).
	expect(await stack.stats()).toMatchObject({ connections: expect.any(Number) });
});

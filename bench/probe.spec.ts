import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { answering } from '../tests/support/answering.ts';

const probe = fileURLToPath(new URL('./probe.ts', import.meta.url));
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

async function freePort() {
	const server = createServer().listen(0, '127.0.0.1');
	await new Promise((r) => server.once('listening', r));
	const { port } = server.address() as { port: number };
	await new Promise((r) => server.close(r));
	return port;
}

/** A process with the probe that has churned through ~300 MB of short-lived objects, 2 MB kept. */
async function churned() {
	const port = await freePort();
	const script = `
		globalThis.kept = [];
		for (let r = 0; r < 30; r++) {
			const a = [];
			for (let i = 0; i < 3e5; i++) a.push({ i, s: 'x' + i });
			kept.push(a.slice(0, 1000));
		}
		setInterval(() => {}, 1000);`;
	const child = spawn(process.execPath, ['--expose-gc', '--import', probe, '-e', script], {
		env: { ...process.env, PROBE_PORT: String(port) },
		stdio: 'ignore'
	});
	stops.push(() => child.kill('SIGKILL'));
	const url = `http://127.0.0.1:${port}`;
	await answering(`${url}/usage`, { exited: () => child.exitCode !== null });
	return async (path: string) => (await fetch(url + path)).json();
}

describe('the memory probe', () => {
	it('reads the live heap after collections, and RSS without the heap V8 does not use on /memory?release', async () => {
		const get = await churned();
		const before = await get('/usage');
		const collected = await get('/memory');
		const released = await get('/memory?release');
		expect(collected.heap).toBeLessThan(20 * 2 ** 20);
		// The heap V8 grew for the churn stays committed after ordinary collections…
		expect(before.v8).toBeGreaterThan(100 * 2 ** 20);
		// …and goes back to the system on a memory-reducing one (which also drops compiled code).
		expect(released.rss).toBeLessThan(collected.rss - 50 * 2 ** 20);
		expect(released.heap).toBeLessThanOrEqual(collected.heap);
	});
});

import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { ConvexHttpClient } from 'convex/browser';
import { describe, expect, test } from 'vitest';
import { api } from '../convex/_generated/api';
import { runCli, tsx } from './cli-process.ts';
import { startEmulator } from './emulator.ts';

/**
 * Every TCP socket a process listens on, as `ip:port` (Linux: the kernel's socket tables, matched
 * to the process by inode), so nothing it opens can hide from the check.
 */
function listeningSockets(pid: number): string[] {
	const inodes = new Set(
		readdirSync(`/proc/${pid}/fd`)
			.map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkOrEmpty(`/proc/${pid}/fd/${fd}`))?.[1])
			.filter(Boolean)
	);
	const listening: string[] = [];
	for (const table of ['tcp', 'tcp6']) {
		for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			// st 0A is LISTEN; column 9 is the inode.
			if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9])) continue;
			const [ip, port] = cols[1].split(':');
			listening.push(`${ipFromHex(ip)}:${parseInt(port, 16)}`);
		}
	}
	return listening;
}

function readlinkOrEmpty(path: string): string {
	try {
		return readlinkSync(path);
	} catch {
		return ''; // closed between listing and reading
	}
}

/** /proc/net's little-endian hex: 0100007F is 127.0.0.1; IPv6 as four such words. */
function ipFromHex(hex: string): string {
	const words = hex.match(/.{8}/g) ?? [];
	const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
	if (bytes.length === 4) return bytes.join('.');
	const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255;
	if (mapped) return bytes.slice(12).join('.');
	const groups = [];
	for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
	return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1):\d+$/;

describe('the run.ts command line', () => {
	test('under tsx it runs the command with CONVEX_URL and CONVEX_SITE_URL and exits with its code', async () => {
		const script = `
			const r = await fetch(process.env.CONVEX_URL + '/api/query', { method: 'POST', body: JSON.stringify({ path: 'auth:isAuthenticated', args: [{}] }) });
			console.log('child saw', r.status, await r.text(), process.env.CONVEX_SITE_URL, typeof process.env.JWT_PRIVATE_KEY);
			process.exit(7);`;
		const run = runCli(
			[process.execPath, tsx],
			['--', process.execPath, '--input-type=module', '-e', script]
		);
		const { siteUrl } = await run.ready;
		expect(await run.exited).toBe(7);
		expect(run.output()).toContain(
			`child saw 200 {"status":"success","value":false,"logLines":[]} ${siteUrl} undefined`
		);
	});

	test('under plain node, the control port pauses, resumes and reports health', async () => {
		const run = runCli([process.execPath], ['--control-port', '0']);
		try {
			const { url, siteUrl, control } = await run.ready;
			// One machine only: the API, the site and the control port, and nothing else, on loopback.
			const sockets = listeningSockets(run.child.pid!);
			expect(sockets.map((s) => s.split(':').at(-1)).sort()).toEqual(
				[url, siteUrl, control].map((u) => new URL(u).port).sort()
			);
			for (const socket of sockets) expect(socket).toMatch(LOOPBACK);
			const health = async () =>
				(await (await fetch(`${control}/health`)).json()) as { status: string };
			expect(await health()).toMatchObject({ status: 'running' });
			expect((await fetch(`${control}/pause`, { method: 'POST' })).status).toBe(204);
			expect(await health()).toMatchObject({ status: 'paused' });
			await expect(fetch(`${url}/api/query`, { method: 'POST' })).rejects.toThrow();
			expect((await fetch(`${control}/resume`, { method: 'POST' })).status).toBe(204);
			expect(await new ConvexHttpClient(url).query(api.auth.isAuthenticated, {})).toBe(false);
		} finally {
			run.child.kill('SIGTERM');
		}
		expect(await run.exited).toBe(0);
	});

	test('with --profile-port it runs the sample profile API and gives the command its URL and a key', async () => {
		const script = `
			const r = await fetch(process.env.PROFILE_API_URL + '/profile');
			console.log('child saw', r.status, r.headers.get('www-authenticate'), JSON.parse(process.env.SCOPED_TOKEN_KEYS).length);`;
		const run = runCli(
			[process.execPath],
			['--profile-port', '0', '--', process.execPath, '--input-type=module', '-e', script]
		);
		await run.ready;
		expect(await run.exited).toBe(0);
		expect(run.output()).toMatch(/profile API http:\/\/127\.0\.0\.1:\d+ \(accepts Convex JWTs\)/);
		expect(run.output()).toContain('child saw 401 Bearer 1');
	});

	test('refuses to listen on anything but loopback', async () => {
		for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
			await expect(startEmulator({ host })).rejects.toThrow(/loopback only/);
		}
	});
});

// Slow clients cannot hold the production server's sockets: a request whose headers or body trickle
// in is cut off at HEADERS_TIMEOUT / REQUEST_TIMEOUT (1 s and 2 s here), while an event stream,
// whose request was received long ago, stays open past both.
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { signUp } from './accounts.ts';
import { FORWARDED, type Jar } from './http.ts';
import { startStack, type Stack } from './stack.ts';

/** Seconds, as the server reads them. Node checks them once a second (server.ts). */
const HEADERS_TIMEOUT = 1;
const REQUEST_TIMEOUT = 2;
const CHECK_INTERVAL = 1;
/** What a busy two-core machine adds before the server's timer and the close reach the test. */
const SLACK = 1.5;
const bound = (timeout: number) => (timeout + CHECK_INTERVAL + SLACK) * 1000;

let stack: Stack;
let jar: Jar;
beforeAll(async () => {
	stack = await startStack(12, {
		HEADERS_TIMEOUT: String(HEADERS_TIMEOUT),
		REQUEST_TIMEOUT: String(REQUEST_TIMEOUT),
		KEEP_ALIVE_TIMEOUT: '1'
	});
	({ jar } = await signUp(stack, 'slow'));
});
afterAll(() => stack?.stop());

/**
 * Opens a socket, sends `head`, then one more `drip` every 100 ms for as long as the socket is open.
 * Resolves with what the server sent once the server closes it.
 */
function dribble(head: string, drip: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket: Socket = connect(stack.port, '127.0.0.1', () => socket.write(head));
		let received = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => (received += chunk));
		const timer = setInterval(() => socket.writable && socket.write(drip), 100);
		socket.on('error', reject);
		socket.on('close', () => {
			clearInterval(timer);
			resolve(received);
		});
	});
}

test(
	'closes a connection whose headers trickle in, at HEADERS_TIMEOUT',
	async () => {
		const answer = await dribble('GET / HTTP/1.1\r\nHost: app.example.com\r\n', 'X-A: b\r\n');
		expect(answer).toMatch(/^HTTP\/1\.1 408 /);
	},
	bound(HEADERS_TIMEOUT)
);

test(
	'closes a connection whose body trickles in, at REQUEST_TIMEOUT',
	async () => {
		// From the app's own origin, so the login action waits for the body instead of refusing it.
		const head =
			'POST /login HTTP/1.1\r\nHost: app.example.com\r\n' +
			'X-Forwarded-Proto: https\r\nOrigin: https://app.example.com\r\n' +
			'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n';
		const answer = await dribble(head, 'a');
		expect(answer).toMatch(/^HTTP\/1\.1 408 /);
	},
	bound(REQUEST_TIMEOUT)
);

test('keeps an event stream open past every timeout: its heartbeat (15 s) arrives', async () => {
	const opened = Date.now();
	const ping = await new Promise<string>((resolve, reject) => {
		const req = request(
			{
				host: '127.0.0.1',
				port: stack.port,
				path: `/live?q=${encodeURIComponent('[["users:me",{}]]')}`,
				headers: { ...FORWARDED, cookie: jar.header(), accept: 'text/event-stream' },
				agent: false
			},
			(res) => {
				if (res.statusCode !== 200) reject(new Error(`/live answered ${res.statusCode}`));
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					text += chunk;
					if (text.includes(': ping')) {
						resolve(text);
						req.destroy();
					}
				});
				res.on('close', () => reject(new Error(`the stream was closed:\n${text}`)));
			}
		);
		req.on('error', reject);
		req.end();
	});
	expect(ping).toContain('data:');
	expect(Date.now() - opened).toBeGreaterThan(bound(REQUEST_TIMEOUT));
}, 30_000);

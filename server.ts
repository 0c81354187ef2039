// The production server (`npm start`, after `npm run build`): adapter-node's request handler inside a
// Node HTTP server of our own, for two things adapter-node's `node build` cannot do. Every response
// gets the headers of src/lib/server/security-headers.ts, static files and `/_app/*` included; and
// slow clients are cut off: a connection may not take longer than HEADERS_TIMEOUT to send its
// headers or REQUEST_TIMEOUT to send its whole request, nor sit idle longer than KEEP_ALIVE_TIMEOUT
// between requests. adapter-node's other variables (PROTOCOL_HEADER, BODY_SIZE_LIMIT, …) work as
// documented; PORT and HOST are read here.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { secureNodeResponse } from './src/lib/server/security-headers.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/** A configuration mistake: one line saying what to fix, not a stack trace. */
function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

/** A whole number of seconds from the environment, in milliseconds. */
function seconds(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback * 1000;
	if (!/^\d+$/.test(raw) || Number(raw) === 0)
		fail(`${name} must be a whole number of seconds above 0, got "${raw}"`);
	return Number(raw) * 1000;
}

const headersTimeout = seconds('HEADERS_TIMEOUT', 10);
const requestTimeout = seconds('REQUEST_TIMEOUT', 60);
const keepAliveTimeout = seconds('KEEP_ALIVE_TIMEOUT', 5);
const shutdownTimeout = seconds('SHUTDOWN_TIMEOUT', 30);
if (headersTimeout > requestTimeout)
	fail('HEADERS_TIMEOUT cannot be longer than REQUEST_TIMEOUT, which includes it');
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
	fail(`PORT must be a port number, got "${process.env.PORT}"`);
const host = process.env.HOST || '0.0.0.0';

const handlerFile = new URL('./build/handler.js', import.meta.url);
if (!existsSync(handlerFile)) fail('No build/handler.js: run `npm run build` first');
// Loaded at run time: the build does not exist when the project is type-checked.
const { handler } = (await import(handlerFile.href)) as { handler: Handler };

const server = createServer(
	{
		headersTimeout,
		requestTimeout,
		keepAliveTimeout,
		// Node checks the two request timeouts on this interval (30 s by default), so a slow client
		// would otherwise keep its socket up to 30 s past them.
		connectionsCheckingInterval: 1000
	},
	(req, res) => {
		secureNodeResponse(res);
		handler(req, res, () => {
			res.statusCode = 404;
			res.end();
		});
	}
);

server.on('error', (e) => fail(`Cannot listen on ${host}:${port}: ${e.message}`));
server.listen({ port, host }, () => console.log(`Listening on http://${host}:${port}`));

// Finish what is in flight, then stop: open event streams are cut after SHUTDOWN_TIMEOUT.
let stopping = false;
function shutdown(signal: NodeJS.Signals) {
	if (stopping) return;
	stopping = true;
	const forced = setTimeout(() => server.closeAllConnections(), shutdownTimeout);
	server.close(() => {
		clearTimeout(forced);
		// adapter-node's signal for cleanup code, so code written for `node build` keeps working.
		(process as EventEmitter).emit('sveltekit:shutdown', signal);
	});
	server.closeIdleConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

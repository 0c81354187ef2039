// Floor for P6: Server-Sent Events from node:http alone, doing per stream what every SSE server must:
// keep the response open, send each stream's first values, share one heartbeat timer.
import { createServer, type ServerResponse } from 'node:http';

const open = new Set<ServerResponse>();
setInterval(() => open.forEach((res) => res.write(': ping\n\n')), 15_000).unref();

const server = createServer((req, res) => {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
	for (const q of [0, 1])
		res.write(`event: update\ndata: {"type":"update","q":${q},"value":null}\n\n`);
	open.add(res);
	res.once('close', () => open.delete(res));
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
	server.close();
	server.closeAllConnections();
});

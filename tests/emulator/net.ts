import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens and resolves with the port actually bound (useful when asked for port 0). */
export function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

/** Stops listening and cuts every open connection now, as a crashed backend would. */
export function closeServer(server: Server): Promise<void> {
	if (!server.listening) return Promise.resolve();
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}

/** The host to put in a URL: a wildcard bind is reached via loopback, IPv6 goes in brackets. */
export function urlHost(host: string): string {
	if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
	return host.includes(':') ? `[${host}]` : host;
}

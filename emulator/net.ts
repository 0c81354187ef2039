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

/** Refuses any address other machines could reach: wildcards, LAN and public addresses. */
export function assertLoopback(host: string): void {
	if (host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)) return;
	throw new Error(`The emulator listens on loopback only (127.0.0.1, ::1, localhost), not ${host}`);
}

/** The host to put in a URL: IPv6 goes in brackets. */
export function urlHost(host: string): string {
	return host.includes(':') ? `[${host}]` : host;
}

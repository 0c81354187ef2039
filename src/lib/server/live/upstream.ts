import { ConvexClient } from 'convex/browser';
import { makeFunctionReference } from 'convex/server';
import { ConvexError, convexToJson, type JSONValue, type Value } from 'convex/values';
import { WebSocket as WsWebSocket } from 'ws';

/** What the hub needs from a Convex connection; tests substitute a fake. */
export interface Upstream {
	subscribe(
		name: string,
		args: Record<string, Value>,
		onValue: (value: JSONValue) => void,
		onError: (message: string, data?: JSONValue) => void
	): () => void;
	/** The token to use from now on; sent in-band over the WebSocket, never in a URL. */
	setToken(token: string | null): void;
	close(): Promise<void>;
}

/**
 * The relay holds one socket per session, so its size matters: the `ws` package without
 * per-message compression takes a quarter to a third of the memory of Node's built-in WebSocket
 * per client (`npm run bench`, the P6 breakdown rows: live heap and RSS, two subscriptions each).
 */
class LeanWebSocket extends WsWebSocket {
	constructor(url: string | URL, protocols?: string | string[]) {
		super(url, protocols, { perMessageDeflate: false });
	}
}

/** One Convex WebSocket client for one session: every tab of that session shares it. */
export function convexUpstream(url: string, token: string): Upstream {
	const client = new ConvexClient(url, {
		skipConvexDeploymentUrlCheck: true,
		logger: false,
		webSocketConstructor: LeanWebSocket as unknown as typeof WebSocket
	});
	let current: string | null = token;
	const fetchToken = async () => current;
	client.setAuth(fetchToken);
	return {
		subscribe(name, args, onValue, onError) {
			return client.onUpdate(
				makeFunctionReference<'query'>(name),
				args,
				(value) => onValue(convexToJson(value as Value)),
				(error) =>
					onError(
						error.message,
						error instanceof ConvexError ? convexToJson(error.data as Value) : undefined
					)
			);
		},
		setToken(next) {
			if (next === current) return;
			current = next;
			// Re-authenticates the open socket; subscriptions carry over.
			client.setAuth(fetchToken);
		},
		close: () => client.close()
	};
}

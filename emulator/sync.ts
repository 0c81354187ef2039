import type { RawData, WebSocket } from 'ws';
import { decodeTs } from './clock.ts';
import { ProtocolError, parseClientMessage, response, type ClientMessage } from './protocol.ts';
import type { SyncDeps } from './sync-identity.ts';
import { QueryConnection } from './sync-queries.ts';

export type { SyncDeps } from './sync-identity.ts';

type Call = Extract<ClientMessage, { type: 'Mutation' | 'Action' }>;

/**
 * One client connection speaking Convex's sync protocol. Everything that changes the version the
 * client tracks (query set, identity, timestamp) runs through one queue, so each Transition starts
 * exactly where the previous one ended. Mutations and actions start in that order too, with the
 * identity in force when they arrived, but run concurrently.
 */
export class SyncSession extends QueryConnection {
	private sessionId = '';
	private readonly unsubscribe: (() => void)[];

	constructor(ws: WebSocket, deps: SyncDeps) {
		super(ws, deps);
		this.unsubscribe = [
			deps.changes.subscribe((change) => this.invalidate(change)),
			deps.clock.subscribe(() => this.scheduleRefresh())
		];
	}

	protected disposed() {
		for (const unsubscribe of this.unsubscribe) unsubscribe();
	}

	protected receive(data: RawData, isBinary: boolean) {
		let message: ClientMessage;
		try {
			if (isBinary) throw new ProtocolError('Binary frames are not part of the protocol');
			message = parseClientMessage(data.toString());
		} catch (error) {
			return this.fatal((error as Error).message);
		}
		switch (message.type) {
			case 'Connect': {
				this.sessionId = message.sessionId;
				const seen = message.maxObservedTimestamp && decodeTs(message.maxObservedTimestamp);
				if (seen) this.deps.clock.observe(seen);
				return;
			}
			case 'ModifyQuerySet':
				return this.enqueue(() => this.modifyQuerySet(message));
			case 'Authenticate':
				return this.enqueue(() => this.authenticate(message));
			case 'Mutation':
				return this.enqueue(() => this.mutation(message));
			case 'Action':
				return this.enqueue(() => this.action(message));
		}
	}

	private async authenticate(message: Extract<ClientMessage, { type: 'Authenticate' }>) {
		// A new identity may change any query's result.
		if (await this.identify(message))
			await this.transition({ identity: message.baseVersion + 1 }, [], true);
	}

	private mutation(message: Call) {
		// The client re-sends it after reconnecting with a fresh token.
		if (this.tokenExpired()) return;
		const identity = this.identity;
		const execute = async () => {
			const result = await this.call(message, 'mutation', identity);
			// The clock moves even for a mutation that wrote nothing: the client resolves the
			// mutation's promise only once a Transition reaches this ts.
			return { result, ts: result.status === 'success' ? this.deps.clock.tick() : null };
		};
		// Without a Connect there is no session to de-duplicate in.
		const outcome = this.sessionId
			? this.deps.mutations.run(this.sessionId, message.requestId, execute)
			: execute();
		void outcome.then(({ result, ts }) => {
			this.send(response('MutationResponse', message.requestId, result, ts ?? undefined));
			// A repeat answered from the log gets no tick of its own; this Transition covers it.
			if (ts !== null) this.scheduleRefresh();
		});
	}

	private action(message: Call) {
		if (this.tokenExpired()) return;
		void this.call(message, 'action', this.identity).then((result) => {
			this.send(response('ActionResponse', message.requestId, result));
		});
	}
}

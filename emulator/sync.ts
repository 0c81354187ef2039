import type { UserIdentity } from 'convex/server';
import { jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { WebSocket, type RawData } from 'ws';
import { AuthFailure, type TokenVerifier } from './auth.ts';
import type { Backend, CallResult } from './backend.ts';
import { decodeTs, type WriteClock } from './clock.ts';
import type { MutationLog } from './dedupe.ts';
import type { FunctionKind } from './functions.ts';
import {
	ProtocolError,
	parseClientMessage,
	queryModification,
	response,
	wireVersion,
	type ClientMessage,
	type Version
} from './protocol.ts';

export type SyncDeps = {
	backend: Backend;
	verifier: TokenVerifier;
	clock: WriteClock;
	mutations: MutationLog;
	/** AuthErrors sent for an expired token, by the token's subject: the relay's tests read it. */
	expiredTokens: Map<string, number>;
};

type Query = { udfPath: string; args: JSONValue[] };
type Call = Extract<ClientMessage, { type: 'Mutation' | 'Action' }>;

/** Well inside the client's 60 s inactivity timeout. */
const PING_INTERVAL_MS = 15_000;

/**
 * One client connection speaking Convex's sync protocol. Everything that changes the version the
 * client tracks (query set, identity, timestamp) runs through one queue, so each Transition starts
 * exactly where the previous one ended. Mutations and actions start in that order too, with the
 * identity in force when they arrived, but run concurrently.
 */
export class SyncSession {
	private readonly ws: WebSocket;
	private readonly deps: SyncDeps;
	private sessionId = '';
	private version: Version = { querySet: 0, identity: 0, ts: 0n };
	private readonly queries = new Map<number, Query>();
	/** What each query last sent, so a refresh only re-sends what changed. */
	private readonly sent = new Map<number, string>();
	private identity: UserIdentity | null = null;
	/** When the token in force expires (ms), null without one or without `exp`. */
	private expiresAt: number | null = null;
	private queue: Promise<void> = Promise.resolve();
	private refreshQueued = false;
	private closed = false;
	private readonly ping: NodeJS.Timeout;
	private readonly unsubscribe: () => void;

	/** Queries this connection is subscribed to. */
	get subscriptionCount(): number {
		return this.queries.size;
	}

	constructor(ws: WebSocket, deps: SyncDeps) {
		this.ws = ws;
		this.deps = deps;
		ws.on('message', (data, isBinary) => this.receive(data, isBinary));
		ws.on('close', () => this.dispose());
		ws.on('error', () => ws.terminate());
		this.unsubscribe = deps.clock.subscribe(() => this.scheduleRefresh());
		this.ping = setInterval(() => this.send({ type: 'Ping' }), PING_INTERVAL_MS).unref();
	}

	private receive(data: RawData, isBinary: boolean) {
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

	private async modifyQuerySet(message: Extract<ClientMessage, { type: 'ModifyQuerySet' }>) {
		const removed: number[] = [];
		for (const change of message.modifications) {
			this.sent.delete(change.queryId);
			if (change.type === 'Add') {
				this.queries.set(change.queryId, { udfPath: change.udfPath, args: change.args });
			} else if (this.queries.delete(change.queryId)) {
				removed.push(change.queryId);
			}
		}
		await this.transition({ querySet: message.newVersion }, removed);
	}

	private async authenticate(message: Extract<ClientMessage, { type: 'Authenticate' }>) {
		if (message.tokenType === 'User') {
			try {
				const { identity, expiresAt } = await this.deps.verifier.verify(String(message.value));
				this.setIdentity(identity, expiresAt);
			} catch (error) {
				if (!(error instanceof AuthFailure)) throw error;
				return this.authError(`${error.code}: ${error.message}`, true);
			}
		} else if (message.tokenType === 'None') {
			this.setIdentity(null, null);
		} else {
			return this.authError('Admin authentication is not supported by the emulator', true);
		}
		await this.transition({ identity: message.baseVersion + 1 });
	}

	private setIdentity(identity: UserIdentity | null, expiresAt: number | null) {
		this.identity = identity;
		this.expiresAt = expiresAt;
	}

	/**
	 * Like the backend, expiry is not watched on a clock: it is noticed when this client next gets
	 * a transition or runs a function, and then the client is told to fetch a new token. An idle
	 * connection keeps an expired token until then, so only a client that re-authenticates in time
	 * never sees the AuthError.
	 */
	private tokenExpired(): boolean {
		if (this.expiresAt === null || Date.now() < this.expiresAt) return false;
		const subject = this.identity?.subject ?? '';
		this.deps.expiredTokens.set(subject, (this.deps.expiredTokens.get(subject) ?? 0) + 1);
		this.authError('Unauthenticated: Token expired', false);
		return true;
	}

	/** An AuthError ends the connection, as on the backend; the client reconnects with a new token. */
	private authError(error: string, authUpdateAttempted: boolean) {
		const baseVersion = this.version.identity;
		this.send({ type: 'AuthError', error, baseVersion, authUpdateAttempted });
		this.close();
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

	private async call(
		{ udfPath, args }: Query,
		kind: FunctionKind,
		identity: UserIdentity | null
	): Promise<CallResult> {
		let decoded: Record<string, Value>;
		try {
			decoded = jsonToConvex(args[0] ?? {}) as Record<string, Value>;
		} catch (error) {
			return { status: 'error', errorMessage: `Invalid arguments: ${(error as Error).message}` };
		}
		return await this.deps.backend.call(udfPath, kind, decoded, identity);
	}

	/** Re-runs every subscribed query and moves the client to now; called after any write. */
	private scheduleRefresh() {
		if (this.refreshQueued || this.closed) return;
		this.refreshQueued = true;
		this.enqueue(async () => {
			this.refreshQueued = false;
			await this.transition({});
		});
	}

	/**
	 * Sends the client from its current version to `change` at the current time. The time is read
	 * before the queries run: every write stamped up to it has committed by the time they read
	 * (convex-test serializes transactions), so the results are at least that fresh.
	 */
	private async transition(change: Partial<Omit<Version, 'ts'>>, removed: number[] = []) {
		if (this.tokenExpired()) return;
		const now = this.deps.clock.now();
		const end: Version = {
			...this.version,
			...change,
			ts: now > this.version.ts ? now : this.version.ts
		};
		const modifications: object[] = [];
		for (const [queryId, query] of [...this.queries]) {
			const modification = queryModification(
				queryId,
				await this.call(query, 'query', this.identity)
			);
			const key = JSON.stringify(modification);
			if (this.sent.get(queryId) !== key) {
				this.sent.set(queryId, key);
				modifications.push(modification);
			}
		}
		for (const queryId of removed) modifications.push({ type: 'QueryRemoved', queryId });
		const [startVersion, endVersion] = [wireVersion(this.version), wireVersion(end)];
		this.send({ type: 'Transition', startVersion, endVersion, modifications });
		this.version = end;
	}

	private enqueue(step: () => void | Promise<void>) {
		this.queue = this.queue
			.then(() => (this.closed ? undefined : step()))
			.catch((error: unknown) => {
				console.error('[emulator] sync session failed:', error);
				this.fatal('Internal emulator error');
			});
	}

	private send(message: object) {
		if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
		this.ws.send(JSON.stringify(message));
	}

	private fatal(error: string) {
		this.send({ type: 'FatalError', error });
		this.close();
	}

	private close() {
		if (this.closed) return;
		this.ws.close(1000);
		this.dispose();
	}

	private dispose() {
		this.closed = true;
		clearInterval(this.ping);
		this.unsubscribe();
	}
}

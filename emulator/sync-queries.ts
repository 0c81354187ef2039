import type { UserIdentity } from 'convex/server';
import { jsonToConvex, type JSONValue, type Value } from 'convex/values';
import type { CallResult } from './call-result.ts';
import type { FunctionKind } from './functions.ts';
import { queryModification, wireVersion, type ClientMessage, type Version } from './protocol.ts';
import { ReadSet, recordingReads, type Change } from './read-sets.ts';
import { IdentifiedConnection } from './sync-identity.ts';

export type Query = { udfPath: string; args: JSONValue[] };

/**
 * A sync connection's query set: what it subscribes to, and the Transitions that move the client
 * from one version to the next with the queries' new results. As on a deployment, a query runs
 * again only when a write changed something it read, when it is new, or when the identity changes.
 */
export abstract class QueryConnection extends IdentifiedConnection {
	private readonly queries = new Map<number, Query>();
	/** What each query last sent, so a refresh only re-sends what changed. */
	private readonly sent = new Map<number, string>();
	/** What each query read when it last ran. */
	private readonly reads = new Map<number, ReadSet>();
	/** Queries a write touched since they last ran. */
	private readonly stale = new Set<number>();
	private refreshQueued = false;

	/** Queries this connection is subscribed to. */
	get subscriptionCount(): number {
		return this.queries.size;
	}

	protected async modifyQuerySet(message: Extract<ClientMessage, { type: 'ModifyQuerySet' }>) {
		const removed: number[] = [];
		for (const change of message.modifications) {
			this.sent.delete(change.queryId);
			this.reads.delete(change.queryId);
			this.stale.delete(change.queryId);
			if (change.type === 'Add') {
				this.queries.set(change.queryId, { udfPath: change.udfPath, args: change.args });
			} else if (this.queries.delete(change.queryId)) {
				removed.push(change.queryId);
			}
		}
		await this.transition({ querySet: message.newVersion }, removed);
	}

	/**
	 * Marks the queries a write touched. Called as the write happens, before its transaction
	 * commits: a query already marked and running now reads after that commit (convex-test runs one
	 * transaction at a time), and one that ran before it is marked again for the next refresh.
	 */
	protected invalidate(change: Change) {
		for (const [queryId, reads] of this.reads) if (reads.touches(change)) this.stale.add(queryId);
	}

	/** Re-runs the queries writes touched and moves the client to now; called after any write. */
	protected scheduleRefresh() {
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
	protected async transition(
		change: Partial<Omit<Version, 'ts'>>,
		removed: number[] = [],
		rerunAll = false
	) {
		if (this.tokenExpired()) return;
		const now = this.deps.clock.now();
		const end: Version = {
			...this.version,
			...change,
			ts: now > this.version.ts ? now : this.version.ts
		};
		const modifications: object[] = [];
		for (const [queryId, query] of [...this.queries]) {
			if (!rerunAll && this.sent.has(queryId) && !this.stale.has(queryId)) continue;
			// Marked read before it runs, so a write landing while it waits its turn marks it again.
			this.stale.delete(queryId);
			const reads = new ReadSet();
			this.reads.set(queryId, reads);
			const modification = queryModification(
				queryId,
				await recordingReads(reads, () => this.call(query, 'query', this.identity))
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

	protected async call(
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
}

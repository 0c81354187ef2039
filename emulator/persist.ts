import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import type { Document, Snapshot } from './database.ts';
import type { AuthKeyEnv } from './keys.ts';

/**
 * The emulator's state on disk, so a restart keeps data and sessions: the signing keys (a session's
 * JWT must still verify) and every document, Convex-JSON encoded (int64 and bytes survive). Written
 * whole, to a temporary file renamed over the old one, so a crash never leaves half a file.
 */
export class DataDir {
	readonly dir: string;
	constructor(dir: string) {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		this.dir = dir;
	}

	keys(): AuthKeyEnv | null {
		return this.read('keys.json') as AuthKeyEnv | null;
	}

	saveKeys(keys: AuthKeyEnv): void {
		this.write('keys.json', keys);
	}

	data(): Snapshot | null {
		const saved = this.read('data.json') as Record<string, JSONValue[]> | null;
		if (saved === null) return null;
		return Object.fromEntries(
			Object.entries(saved).map(([path, docs]) => [
				path,
				docs.map((doc) => jsonToConvex(doc) as Document)
			])
		);
	}

	saveData(data: Snapshot): void {
		const encoded = Object.fromEntries(
			Object.entries(data).map(([path, docs]) => [
				path,
				docs.map((doc) => convexToJson(doc as Record<string, Value>))
			])
		);
		this.write('data.json', encoded);
	}

	private read(name: string): unknown {
		try {
			return JSON.parse(readFileSync(join(this.dir, name), 'utf8'));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw new Error(`${join(this.dir, name)} is unreadable (start fresh to discard it)`, {
				cause: error
			});
		}
	}

	private write(name: string, value: unknown): void {
		const path = join(this.dir, name);
		writeFileSync(`${path}.tmp`, JSON.stringify(value), { mode: 0o600 });
		renameSync(`${path}.tmp`, path);
	}
}

/**
 * Saves the documents shortly after each burst of writes and once more when stopped (the returned
 * function), so at most the last fraction of a second is lost to a crash.
 */
export function saveOnWrites(
	store: DataDir,
	source: { snapshot(): Snapshot },
	clock: { subscribe(listener: () => void): () => void },
	delayMs = 200
): () => void {
	let timer: NodeJS.Timeout | null = null;
	const save = () => {
		timer = null;
		store.saveData(source.snapshot());
	};
	const unsubscribe = clock.subscribe(() => {
		timer ??= setTimeout(save, delayMs);
	});
	return () => {
		unsubscribe();
		if (timer !== null) clearTimeout(timer);
		save();
	};
}

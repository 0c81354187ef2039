import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserIdentity } from 'convex/server';
import { AuthFailure, type TokenVerifier } from './auth.ts';

/** A request the emulator refuses before running anything, answered as `{code, message}` JSON. */
export class HttpError extends Error {
	readonly status: number;
	readonly code: string;

	constructor(status: number, code: string, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** Convex's own request size limit for function arguments and HTTP action bodies. */
const MAX_BODY = 20 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY) throw new HttpError(413, 'PayloadTooLarge', 'Request body too large');
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	if (res.headersSent) return void res.end();
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text)
	});
	res.end(text);
}

export function sendHttpError(res: ServerResponse, error: unknown): void {
	if (error instanceof HttpError) {
		sendJson(res, error.status, { code: error.code, message: error.message });
	} else if (error instanceof AuthFailure) {
		sendJson(res, 401, { code: error.code, message: error.message });
	} else {
		console.error('[emulator]', error);
		sendJson(res, 500, { code: 'InternalServerError', message: 'Internal emulator error' });
	}
}

/** The caller's identity from `Authorization: Bearer <jwt>`, null without the header. */
export async function identityOf(
	req: IncomingMessage,
	verifier: TokenVerifier
): Promise<UserIdentity | null> {
	const header = req.headers.authorization;
	if (header === undefined || header === '') return null;
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	if (match === null) {
		throw new AuthFailure(
			'InvalidAuthHeader',
			'Authorization header must be "Bearer <token>" (admin keys are not supported by the emulator).'
		);
	}
	return (await verifier.verify(match[1])).identity;
}

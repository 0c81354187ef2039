import { ConvexError } from 'convex/values';
import { api } from '#convex/_generated/api.js';
import { reportSecretMismatch } from './auth-form.ts';
import { config } from './config.ts';
import { createClient } from './convex.ts';

/** A flow name no provider knows: the deployment's gate runs first, then it refuses the flow. */
const PROBE_FLOW = 'startup-check';
/** A backend that does not answer by then is left for the first sign-in to report. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * At start-up, asks the deployment whether it shares this server's secret, so a missing or
 * different `AUTH_SERVER_SECRET` on the deployment shows in the log before the first user meets
 * it. The probe passes the gate and stops at the flow check: no account, limit or session is
 * touched. Only logs: an unreachable backend, or a rotation half done, must not stop the server.
 */
export async function checkServerSecret(
	client = createClient(null),
	timeoutMs = PROBE_TIMEOUT_MS
): Promise<'ok' | 'refused' | 'unknown'> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		const probe = client.action(api.auth.signIn, {
			provider: 'password',
			params: { serverSecret: config.serverSecret, flow: PROBE_FLOW }
		});
		probe.catch(() => {}); // a refusal arriving after the timeout is nobody's to handle
		const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
		await Promise.race([probe, late]);
	} catch (e) {
		const code = e instanceof ConvexError ? (e.data as { code?: string })?.code : undefined;
		if (code === 'INVALID_FLOW') return 'ok';
		if (reportSecretMismatch(code)) return 'refused';
	} finally {
		clearTimeout(timer);
	}
	return 'unknown';
}

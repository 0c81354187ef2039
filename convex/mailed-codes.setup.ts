// What the specs of emailed codes (recovery, verification) share: a fake clock to run the mail
// that a request schedules, and the dev outbox to read it from. Never deployed (see test.setup.ts).
import { afterEach, beforeEach, vi } from 'vitest';
import { api } from './_generated/api';
import { SERVER_SECRET, setAuthEnv, type Test } from './test.setup';

/**
 * For the calling spec file: each test starts with fresh auth env (`setAuthEnv`) on a fake clock,
 * Date and the timers convex-test schedules with, so a test runs scheduled functions (the mail) to
 * the end with `t.finishAllScheduledFunctions(vi.runAllTimers)` and can step past a code's lifetime.
 * Real timers and the env as it was come back after each test.
 */
export function useFakeClockWithAuthEnv(): void {
	beforeEach(async () => {
		await setAuthEnv();
		vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
	});
	afterEach(() => {
		vi.useRealTimers();
		vi.unstubAllEnvs();
	});
}

/** The mail in the dev outbox for an address, newest first. */
export function mailTo(t: Test, to: string) {
	return t.action(api.outbox.read, { serverSecret: SERVER_SECRET, to });
}

/** The code in the latest mail to an address; throws if there is none. */
export async function mailedCode(t: Test, to: string): Promise<string> {
	const [latest] = await mailTo(t, to);
	const code = /Your code: (\d+)/.exec(latest?.text ?? '')?.[1];
	if (!code) throw new Error(`no code mailed to ${to}`);
	return code;
}

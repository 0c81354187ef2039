import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it, vi } from 'vitest';
import { keepFlow, takeFlow } from './oauth-flow.ts';

const config = vi.hoisted(() => ({ cookieSecure: 'auto' as 'auto' | 'always' }));
vi.mock('./config.ts', () => ({ config }));

const url = new URL('https://app.example/oauth/oidc');
const flow = { provider: 'oidc', verifier: 'verifier-id', redirectTo: '/account' };

/** A jar recording each set/delete with its options. */
function jar() {
	const values = new Map<string, string>();
	const calls: { name: string; value: string; opts: Record<string, unknown> }[] = [];
	const cookies = {
		get: (name: string) => values.get(name),
		set(name: string, value: string, opts: Record<string, unknown>) {
			calls.push({ name, value, opts });
			values.set(name, value);
		},
		delete(name: string, opts: Record<string, unknown>) {
			calls.push({ name, value: '', opts });
			values.delete(name);
		}
	} as unknown as Cookies;
	return { cookies, values, calls };
}

describe('the OAuth flow cookie', () => {
	it('is HttpOnly, Secure on https, SameSite=Lax, ten minutes, and sent only to its callback', () => {
		const { cookies, calls } = jar();
		keepFlow({ cookies, url }, flow);
		expect(calls[0].name).toBe('__Secure-oauth-flow');
		expect(calls[0].opts).toEqual({
			path: '/oauth/oidc/callback',
			httpOnly: true,
			secure: true,
			sameSite: 'lax',
			maxAge: 600
		});
	});

	it('is read once: taking it deletes it', () => {
		const { cookies, values, calls } = jar();
		keepFlow({ cookies, url }, flow);
		expect(takeFlow({ cookies, url }, 'oidc')).toEqual(flow);
		expect(values.size).toBe(0);
		expect(calls[1].opts).toMatchObject({ path: '/oauth/oidc/callback' });
		expect(takeFlow({ cookies, url }, 'oidc')).toBeNull();
	});

	it("is refused for another provider's callback, and when it does not parse", () => {
		const { cookies, values } = jar();
		keepFlow({ cookies, url }, flow);
		const value = values.get('__Secure-oauth-flow')!;
		values.set('__Secure-oauth-flow', value);
		expect(takeFlow({ cookies, url }, 'github')).toBeNull();
		values.set('__Secure-oauth-flow', 'not json');
		expect(takeFlow({ cookies, url }, 'oidc')).toBeNull();
	});
});

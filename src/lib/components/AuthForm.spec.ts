import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import * as limits from '#convex/limits.ts';
import AuthForm from './AuthForm.svelte';

/** The attributes the browser checks before posting, per field, as rendered. */
function bounds(flow: 'signIn' | 'signUp') {
	const { body } = render(AuthForm, { props: { flow, redirectTo: '/', form: null } });
	const field = (name: string) => {
		const tag = body.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0] ?? '';
		const attr = (a: string) => tag.match(new RegExp(`\\s${a}="(\\d+)"`))?.[1];
		return { min: attr('minlength'), max: attr('maxlength') };
	};
	return { name: field('name'), email: field('email'), password: field('password'), body };
}

describe('AuthForm', () => {
	it('bounds the sign-up fields by the limits the backend enforces (convex/limits.ts)', () => {
		const form = bounds('signUp');
		expect(form.name.max).toBe(String(limits.NAME_MAX));
		expect(form.email.max).toBe(String(limits.EMAIL_MAX));
		expect(form.password).toEqual({
			min: String(limits.PASSWORD_MIN),
			max: String(limits.PASSWORD_MAX)
		});
		expect(form.body).toContain(`At least ${limits.PASSWORD_MIN} characters.`);
	});

	it('asks no minimum length of a password at sign-in, where older accounts may have shorter ones', () => {
		expect(bounds('signIn').password).toEqual({ min: undefined, max: String(limits.PASSWORD_MAX) });
	});

	it('follows a changed limit, since none is written into the form itself', async () => {
		vi.resetModules();
		vi.doMock('#convex/limits.ts', async (actual) => ({
			...(await actual<typeof limits>()),
			NAME_MAX: 40,
			PASSWORD_MIN: 12
		}));
		// A fresh Svelte runtime with the fresh component: the two must come from one module graph.
		const { render: fresh } = await import('svelte/server');
		const { default: Form } = await import('./AuthForm.svelte');
		const { body } = fresh(Form, { props: { flow: 'signUp', redirectTo: '/', form: null } });
		expect(body).toMatch(/name="name"[^>]*maxlength="40"|maxlength="40"[^>]*name="name"/);
		expect(body).toContain('At least 12 characters.');
		vi.doUnmock('#convex/limits.ts');
	});
});

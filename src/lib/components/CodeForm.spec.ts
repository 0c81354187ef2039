import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import * as limits from '#convex/limits.ts';
import CodeForm from './CodeForm.svelte';

/** The `maxlength` a field is rendered with. */
function maxOf(body: string, name: string): string | undefined {
	const tag = body.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0] ?? '';
	return tag.match(/\smaxlength="(\d+)"/)?.[1];
}

describe('CodeForm', () => {
	it('bounds the email and the code by the form limits (convex/limits.ts)', () => {
		const { body } = render(CodeForm, { props: { email: '', newPassword: true } });
		expect(maxOf(body, 'email')).toBe(String(limits.EMAIL_MAX));
		expect(maxOf(body, 'code')).toBe(String(limits.CODE_INPUT_MAX));
		expect(maxOf(body, 'password')).toBe(String(limits.PASSWORD_MAX));
	});

	it("fills in the address it is given as the email field's value", () => {
		const { body } = render(CodeForm, { props: { email: 'ada@example.com' } });
		expect(body).toMatch(/<input[^>]*name="email"[^>]*value="ada@example.com"/);
	});

	it('follows a changed code bound, since none is written into the form itself', async () => {
		vi.resetModules();
		vi.doMock('#convex/limits.ts', async (actual) => ({
			...(await actual<typeof limits>()),
			CODE_INPUT_MAX: 20
		}));
		// A fresh Svelte runtime with the fresh component: the two must come from one module graph.
		const { render: fresh } = await import('svelte/server');
		const { default: Form } = await import('./CodeForm.svelte');
		expect(maxOf(fresh(Form, { props: { email: '' } }).body, 'code')).toBe('20');
		vi.doUnmock('#convex/limits.ts');
	});
});

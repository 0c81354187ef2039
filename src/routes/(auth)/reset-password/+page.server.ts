import { codePageLoad, resetPassword } from '#lib/server/recovery.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = codePageLoad satisfies PageServerLoad;

export const actions = {
	default: resetPassword
} satisfies Actions;

import { codePageLoad, requestCode, verifyEmail } from '#lib/server/recovery.ts';
import type { Actions, PageServerLoad } from './$types';

export const load = codePageLoad satisfies PageServerLoad;

export const actions = {
	verify: verifyEmail,
	resend: (event) => requestCode(event, 'verify')
} satisfies Actions;

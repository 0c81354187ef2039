import { requestCode } from '#lib/server/recovery.ts';
import type { Actions } from './$types';

export const actions = {
	default: (event) => requestCode(event, 'reset')
} satisfies Actions;

import type { LayoutServerLoad } from './$types';

// Only the user's public fields reach the page; `locals.token` never does.
export const load = (({ locals }) => ({ user: locals.user })) satisfies LayoutServerLoad;

import type { LayoutServerLoad } from './$types';

// Only the user's public fields reach the page; `locals.token` never does. The header's name comes
// from the verified JWT, with no backend call on every page: it shows the holder nothing the token
// does not already carry. What is read from the backend decides: every (app) page asks it, so a
// session revoked elsewhere is signed out on the next such page (or refresh, within the JWT's life).
export const load = (({ locals }) => ({ user: locals.user })) satisfies LayoutServerLoad;

import { fileURLToPath } from 'node:url';

/** Where `npm run bench` builds the floor app (vite.config.ts here) and where P6 starts it from. */
export const out = fileURLToPath(new URL('../../../.svelte-kit/bench-floor', import.meta.url));

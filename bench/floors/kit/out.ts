/** Where `npm run bench` builds the floor app (vite.config.ts here) and where P6 starts it from. */
export const out = '.svelte-kit/bench-floor';

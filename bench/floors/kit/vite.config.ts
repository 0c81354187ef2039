// A SvelteKit app built only for the bench (`npm run bench` builds it into .svelte-kit/bench-floor):
// one SSE endpoint, so that P6 can compare the relay with SvelteKit's own cost per stream, and one
// page with the same markup for everyone, P1's control. Its routes are not the starter's; nothing
// of it ships. Paths are absolute: tools that load this config from another directory (editor,
// linter) must not write a .svelte-kit of their own here.
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { out } from './out.ts';

const here = import.meta.dirname;

export default defineConfig({
	plugins: [
		sveltekit({
			adapter: adapter({ out: `${out}/build` }),
			outDir: out,
			files: { routes: `${here}/routes`, hooks: { server: `${here}/hooks.server` } }
		})
	]
});

import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { secureNodeResponse } from './src/lib/server/security-headers.ts';

export default defineConfig({
	plugins: [
		sveltekit({
			compilerOptions: {
				runes: ({ filename }) =>
					filename.split(/[/\\]/).includes('node_modules') ? undefined : true
			},
			adapter: adapter(),
			// The `csrf` handle in src/hooks.server.ts is the one check, for every content type and with
			// TRUSTED_ORIGINS; SvelteKit's own (form content types only, runs first) would override it.
			csrf: { trustedOrigins: ['*'] },
			// Nonces for SvelteKit's own inline script; nothing else inline, nothing from elsewhere.
			csp: {
				mode: 'auto',
				directives: {
					'default-src': ['self'],
					// 'strict-dynamic': only the nonce'd boot script and what it imports run; 'self' would also
					// let an injected <script src> run anything same-origin, /api/* included. ('self' stays for
					// browsers too old to know 'strict-dynamic'; newer ones ignore it.)
					'script-src': ['self', 'strict-dynamic'],
					'style-src': ['self'],
					// SvelteKit's route announcer positions itself with a style attribute.
					'style-src-attr': ['unsafe-inline'],
					'img-src': ['self', 'data:'],
					'connect-src': ['self'],
					'form-action': ['self'],
					'base-uri': ['self'],
					'object-src': ['none'],
					'frame-ancestors': ['none']
				}
			}
		}),
		{
			// `vite preview` (the offline stack, the browser tests) sends the production server's headers
			// (server.ts) on everything it serves, static files included.
			name: 'security-headers',
			configurePreviewServer(server) {
				server.middlewares.use((_req, res, next) => {
					secureNodeResponse(res);
					next();
				});
			}
		}
	],
	// `vite preview` serves the production build for the offline stack; like adapter-node, it grants
	// no cross-origin reads (Vite's default would allow any localhost origin).
	preview: { cors: false },
	test: {
		expect: { requireAssertions: true },
		// CI sums every runner's JSON report into one closing line (.ci/summary.mjs).
		reporters: process.env.CI ? ['default', 'json'] : ['default'],
		outputFile: { json: 'reports/vitest.json' },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'server',
					environment: 'node',
					include: [
						'src/**/*.spec.ts',
						'bench/**/*.spec.ts',
						'scripts/**/*.spec.ts',
						'examples/**/*.spec.ts',
						'tests/support/**/*.spec.ts',
						'tests/cluster/**/*.spec.ts'
					]
				}
			},
			{
				test: {
					name: 'convex',
					environment: 'edge-runtime',
					include: ['convex/**/*.spec.ts'],
					// A scrypt check takes ~0.3 s here and lockout specs make a dozen.
					testTimeout: 30_000,
					// The components' /test exports list their modules with import.meta.glob.
					server: {
						deps: {
							inline: [
								'convex-test',
								'@convex-dev/rate-limiter',
								'@convex-dev/batch-worker',
								'@convex-dev/resend'
							]
						}
					}
				}
			},
			{
				test: {
					// Attacks against the built app (`vite build` first) and the emulator, over HTTP.
					name: 'security',
					environment: 'node',
					include: ['tests/security/**/*.spec.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				test: {
					name: 'emulator',
					environment: 'node',
					include: ['emulator/**/*.spec.ts'],
					server: { deps: { inline: ['convex-test'] } },
					testTimeout: 30_000
				}
			}
		]
	}
});

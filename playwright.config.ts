import { defineConfig } from '@playwright/test';
import { chooseChromium, systemLookups } from './scripts/chromium.ts';
import { stacks } from './tests/e2e/stacks.ts';
import { controlUrl } from './tests/cluster/stack.ts';

// Undefined means Playwright's own, which `npm test` installs first when missing (scripts/browser.ts).
const { executablePath } = chooseChromium(systemLookups);
const asRoot = process.getuid?.() === 0;
// Names of the stacks to start, comma-separated, and then no cluster: .ci/strip-notes.sh runs only
// the core's browser tests. Unset (`npm test`), every stack starts.
const only = process.env.E2E_STACKS?.split(',');
const started = Object.entries(stacks).filter(([name]) => !only || only.includes(name));

export default defineConfig({
	testDir: 'tests',
	testMatch: ['e2e/**/*.e2e.ts', 'cluster/**/*.e2e.ts'],
	fullyParallel: false,
	workers: 2,
	retries: 0,
	timeout: 30_000,
	reporter: process.env.CI
		? [['list'], ['json', { outputFile: 'reports/playwright.json' }]]
		: [['list']],
	use: {
		browserName: 'chromium',
		baseURL: stacks.main.url,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath,
			args: [
				...(asRoot ? ['--no-sandbox'] : []),
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	// Each stack is the emulator plus the built app (`vite preview`, not `vite dev`, whose CSRF check is off).
	webServer: [
		...started.map(([, stack]) => ({
			command: stack.command,
			url: stack.ready,
			env: stack.env,
			reuseExistingServer: false,
			timeout: 60_000,
			stdout: 'ignore' as const,
			stderr: 'pipe' as const
		})),
		// Two production instances behind nginx (deploy/nginx.conf) and one backend: tests/cluster/.
		...(only
			? []
			: [
					{
						command: 'npx tsx tests/cluster/stack.ts',
						url: `${controlUrl}/ready`,
						reuseExistingServer: false,
						timeout: 90_000,
						stdout: 'ignore' as const,
						stderr: 'pipe' as const
					}
				])
	]
});

// First step of `npm test` and `npm run test:e2e`: make sure the browser tests have a Chromium, so
// a fresh clone needs no manual `npx playwright install`.
import { spawnSync } from 'node:child_process';
import { type Lookups, chooseChromium, systemLookups } from './chromium.ts';

export const INSTALL_HINT =
	'The browser tests need Chromium and Playwright could not download its own: install one ' +
	'(`sudo apt-get install chromium`, or `npx playwright install chromium` where downloads work) ' +
	'or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary.';

export type Provisioning = Lookups & {
	/** CI never downloads a browser: its machines have Debian's Chromium. */
	ci: boolean;
	/** Installs Playwright's Chromium; false when that failed. */
	install: () => boolean;
};

/** null when a Chromium is ready (installing Playwright's when none is), else the one-line reason. */
export function provision(env: Provisioning): string | null {
	if (chooseChromium(env).source !== 'missing') return null;
	if (env.ci) return INSTALL_HINT;
	return env.install() ? null : INSTALL_HINT;
}

const installPlaywrightChromium = () =>
	// Its progress stays visible; its error output would bury the one line that says what to do.
	spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: ['ignore', 'inherit', 'pipe'] })
		.status === 0;

if (process.argv[1] === import.meta.filename) {
	const problem = provision({
		...systemLookups,
		ci: Boolean(process.env.CI),
		install: installPlaywrightChromium
	});
	if (problem) {
		console.error(problem);
		process.exit(1);
	}
}

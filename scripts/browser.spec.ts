import { describe, expect, it, vi } from 'vitest';
import { INSTALL_HINT, provision } from './browser.ts';
import { DEBIAN_CHROMIUM, type Lookups, chooseChromium } from './chromium.ts';

const OWN = '/home/dev/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';

/** A machine with exactly these files, and PLAYWRIGHT_CHROMIUM_PATH as given. */
const machine = (files: string[], override?: string): Lookups => ({
	override,
	exists: (path) => files.includes(path),
	playwrightChromium: () => OWN
});

describe('chooseChromium', () => {
	it('launches PLAYWRIGHT_CHROMIUM_PATH when set, whatever else is installed', () => {
		expect(chooseChromium(machine([DEBIAN_CHROMIUM, OWN], '/opt/chromium'))).toEqual({
			source: 'PLAYWRIGHT_CHROMIUM_PATH',
			executablePath: '/opt/chromium'
		});
	});

	it('launches Debian’s Chromium when present', () => {
		expect(chooseChromium(machine([DEBIAN_CHROMIUM, OWN]))).toEqual({
			source: 'debian',
			executablePath: DEBIAN_CHROMIUM
		});
	});

	it('leaves the launch to Playwright when only its own Chromium is installed', () => {
		expect(chooseChromium(machine([OWN]))).toEqual({
			source: 'playwright',
			executablePath: undefined
		});
	});
});

describe('provision', () => {
	const run = (files: string[], { ci = false, installs = true, override = '' } = {}) => {
		const install = vi.fn(() => installs);
		return { problem: provision({ ...machine(files, override), ci, install }), install };
	};

	it('installs nothing when a Chromium is there', () => {
		for (const [files, override] of [
			[[], '/opt/chromium'],
			[[DEBIAN_CHROMIUM]],
			[[OWN]]
		] as const) {
			const { problem, install } = run([...files], { override });
			expect(problem).toBeNull();
			expect(install).not.toHaveBeenCalled();
		}
	});

	it('installs Playwright’s Chromium when there is none', () => {
		const { problem, install } = run([]);
		expect(install).toHaveBeenCalledOnce();
		expect(problem).toBeNull();
	});

	it('fails in one line saying what to install when the download fails', () => {
		const { problem } = run([], { installs: false });
		expect(problem).toBe(INSTALL_HINT);
		expect(INSTALL_HINT).not.toContain('\n');
		expect(INSTALL_HINT).toMatch(
			/apt-get install chromium.*npx playwright install chromium.*PLAYWRIGHT_CHROMIUM_PATH/
		);
	});

	it('never downloads in CI', () => {
		const { problem, install } = run([], { ci: true });
		expect(install).not.toHaveBeenCalled();
		expect(problem).toBe(INSTALL_HINT);
	});
});

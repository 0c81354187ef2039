// Which Chromium the browser tests launch. One decision, read by playwright.config.ts (what to
// launch) and by scripts/browser.ts (whether to install one first).
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Debian's package: machines that cannot download Playwright's build (CI here) have this one. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export type Lookups = {
	/** PLAYWRIGHT_CHROMIUM_PATH, when set. */
	override: string | undefined;
	exists: (path: string) => boolean;
	/** Where Playwright keeps its own Chromium for this version (there or not). */
	playwrightChromium: () => string;
};

export type Choice =
	| { source: 'PLAYWRIGHT_CHROMIUM_PATH' | 'debian'; executablePath: string }
	| { source: 'playwright' | 'missing'; executablePath: undefined };

/** An explicit path first, then Debian's Chromium, then Playwright's own, else none yet. */
export function chooseChromium(look: Lookups): Choice {
	if (look.override) return { source: 'PLAYWRIGHT_CHROMIUM_PATH', executablePath: look.override };
	if (look.exists(DEBIAN_CHROMIUM)) return { source: 'debian', executablePath: DEBIAN_CHROMIUM };
	const own = look.exists(look.playwrightChromium()) ? 'playwright' : 'missing';
	return { source: own, executablePath: undefined };
}

export const systemLookups: Lookups = {
	override: process.env.PLAYWRIGHT_CHROMIUM_PATH || undefined,
	exists: existsSync,
	playwrightChromium: () => chromium.executablePath()
};

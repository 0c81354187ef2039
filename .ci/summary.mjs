// Sums the JSON reports that vitest and Playwright write under CI into one closing line.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;

const vitest = 'reports/vitest.json';
if (existsSync(vitest)) {
	const r = JSON.parse(readFileSync(vitest, 'utf8'));
	passed += r.numPassedTests;
	failed += r.numFailedTests;
	skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
const playwright = 'reports/playwright.json';
if (existsSync(playwright)) {
	const s = JSON.parse(readFileSync(playwright, 'utf8')).stats;
	passed += s.expected + s.flaky;
	failed += s.unexpected;
	skipped += s.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

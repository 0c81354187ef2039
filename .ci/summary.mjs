// Sums the JSON reports that vitest and Playwright write under CI (reports/*.json: the suites, and
// the notes-sample removal of .ci/strip-notes.sh) into one closing line.
import { existsSync, readFileSync, readdirSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;

const reports = existsSync('reports')
	? readdirSync('reports').filter((f) => f.endsWith('.json'))
	: [];
for (const file of reports) {
	const r = JSON.parse(readFileSync(`reports/${file}`, 'utf8'));
	if (r.stats) {
		// Playwright
		passed += r.stats.expected + r.stats.flaky;
		failed += r.stats.unexpected;
		skipped += r.stats.skipped;
	} else {
		// vitest, and the removal's own steps in the same shape
		passed += r.numPassedTests;
		failed += r.numFailedTests;
		skipped += r.numPendingTests + (r.numTodoTests ?? 0);
	}
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

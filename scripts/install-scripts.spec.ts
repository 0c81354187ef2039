import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Lock = { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
type Policy = Record<string, boolean>;

const read = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** `name@version` of every locked package that has an install script. */
function withInstallScripts(lock: Lock): string[] {
	return Object.entries(lock.packages)
		.filter(([path, entry]) => path !== '' && entry.hasInstallScript)
		.map(([path, entry]) => `${path.split('node_modules/').pop()}@${entry.version}`);
}

/** npm's rule: a name-only entry covers every version, a pinned one its exact versions. */
function covered(pkg: string, policy: Policy): boolean {
	const at = pkg.lastIndexOf('@');
	const [name, version] = [pkg.slice(0, at), pkg.slice(at + 1)];
	return Object.keys(policy).some((key) => {
		const keyAt = key.lastIndexOf('@');
		if (keyAt <= 0) return key === name;
		return (
			key.slice(0, keyAt) === name &&
			key
				.slice(keyAt + 1)
				.split('||')
				.map((v) => v.trim())
				.includes(version)
		);
	});
}

describe('install scripts', () => {
	it('has every locked package with an install script approved or denied, so npm ci stays quiet', () => {
		const lock = read<Lock>('package-lock.json');
		const policy = read<{ allowScripts?: Policy }>('package.json').allowScripts ?? {};
		const scripted = withInstallScripts(lock);
		expect(scripted.length).toBeGreaterThan(0); // esbuild's, at least: the check is reading the lock
		expect(scripted.filter((pkg) => !covered(pkg, policy))).toEqual([]);
	});

	it('matches entries the way npm does', () => {
		expect(covered('esbuild@0.27.0', { esbuild: false })).toBe(true);
		expect(covered('@esbuild/linux-x64@0.27.0', { esbuild: false })).toBe(false);
		expect(covered('esbuild@0.27.0', { 'esbuild@0.27.0 || 0.28.2': true })).toBe(true);
		expect(covered('esbuild@0.27.1', { 'esbuild@0.27.0': true })).toBe(false);
		expect(covered('@scope/pkg@1.0.0', { '@scope/pkg': true })).toBe(true);
	});
});

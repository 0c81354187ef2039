import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deploymentUrls, seedEnvLocal, withEnvLine } from './deployment-env.ts';

type EnvFiles = Map<string, string>;

/** A project folder with maybe a .env.local. */
function project(envLocal?: string): EnvFiles {
	return new Map(envLocal === undefined ? [] : [['.env.local', envLocal]]);
}

/**
 * `npx convex dev` connecting to deployment `name` in a SvelteKit project, as convex 1.48 writes
 * .env.local (cli/lib/envvars.js): per URL, with several names it knows present it changes nothing
 * (for either URL), with one it sets that one, with none it adds its own PUBLIC_ name.
 */
function convexDev(files: EnvFiles, name: string) {
	let text = files.get('.env.local') ?? '';
	const values = parseEnv(text);
	const urls = [
		{ own: 'PUBLIC_CONVEX_URL', value: `https://${name}.convex.cloud` },
		{ own: 'PUBLIC_CONVEX_SITE_URL', value: `https://${name}.convex.site` }
	];
	const known = (own: string) =>
		[own, own.replace(/^PUBLIC_/, '')].filter((known) => known in values);
	if (urls.some(({ own }) => known(own).length > 1)) return;
	for (const { own, value } of urls) {
		const [existing] = known(own);
		if (existing) text = text.replace(new RegExp(`^${existing}.*$`, 'm'), `${existing}=${value}`);
		else text += `${text && !text.endsWith('\n') ? '\n' : ''}${own}=${value}\n`;
	}
	files.set('.env.local', text);
}

/** `npm run dev`'s first step on .env.local. */
function setup(files: EnvFiles) {
	const seeded = seedEnvLocal(files.get('.env.local') ?? '');
	files.set('.env.local', seeded.text);
	return seeded.conflicts;
}

/** What the app reads from .env.local. */
const appReads = (files: EnvFiles) => deploymentUrls(parseEnv(files.get('.env.local') ?? ''));
const deployment = (name: string) => ({
	url: `https://${name}.convex.cloud`,
	siteUrl: `https://${name}.convex.site`
});

describe('.env.local for `npx convex dev`', () => {
	it('npm run dev first: adds empty CONVEX_URL and CONVEX_SITE_URL, which the CLI fills in and keeps current', () => {
		const files = project();
		setup(files);
		expect(files.get('.env.local')).toBe('CONVEX_URL=\nCONVEX_SITE_URL=\n');
		convexDev(files, 'first');
		expect(appReads(files)).toEqual(deployment('first'));
		setup(files);
		convexDev(files, 'second');
		expect(appReads(files)).toEqual(deployment('second'));
	});

	it('npx convex dev first: adds no second name, so the CLI keeps updating PUBLIC_CONVEX_URL', () => {
		const files = project();
		convexDev(files, 'first');
		const written = files.get('.env.local');
		expect(written).toMatch(/^PUBLIC_CONVEX_URL=/m);
		setup(files);
		expect(files.get('.env.local')).toBe(written);
		convexDev(files, 'second');
		expect(appReads(files)).toEqual(deployment('second'));
	});

	it('removes the empty CONVEX_URL and CONVEX_SITE_URL an older setup added next to the CLI’s names', () => {
		const files = project(
			'# Deployment used by `npx convex dev`\nCONVEX_DEPLOYMENT=dev:first\n\n' +
				'PUBLIC_CONVEX_URL=https://first.convex.cloud\n' +
				'PUBLIC_CONVEX_SITE_URL=https://first.convex.site\nCONVEX_URL=\nCONVEX_SITE_URL=\n'
		);
		expect(setup(files)).toEqual([]);
		expect(files.get('.env.local')).not.toMatch(/^CONVEX_(SITE_)?URL/m);
		convexDev(files, 'second');
		expect(appReads(files)).toEqual(deployment('second'));
	});

	it('adds a missing site URL name in the family the file already uses', () => {
		const files = project('PUBLIC_CONVEX_URL=https://first.convex.cloud');
		setup(files);
		expect(files.get('.env.local')).toBe(
			'PUBLIC_CONVEX_URL=https://first.convex.cloud\nPUBLIC_CONVEX_SITE_URL=\n'
		);
	});

	it('leaves two set names alone and says that the CLI updates neither', () => {
		const text = 'CONVEX_URL=https://a.convex.cloud\nPUBLIC_CONVEX_URL=https://b.convex.cloud\n';
		const files = project(text);
		const conflicts = setup(files);
		expect(files.get('.env.local')).toBe(text + 'CONVEX_SITE_URL=\n');
		expect(conflicts).toEqual([expect.stringMatching(/both CONVEX_URL and PUBLIC_CONVEX_URL/)]);
	});
});

describe('deploymentUrls', () => {
	it('reads CONVEX_URL first, and the PUBLIC_ pair, as a pair, when it is unset', () => {
		const pub = {
			PUBLIC_CONVEX_URL: 'https://b.convex.cloud',
			PUBLIC_CONVEX_SITE_URL: 'https://b.convex.site'
		};
		expect(deploymentUrls({ CONVEX_URL: 'https://a.convex.cloud', ...pub })).toEqual({
			url: 'https://a.convex.cloud',
			siteUrl: undefined
		});
		expect(
			deploymentUrls({ CONVEX_URL: '', CONVEX_SITE_URL: 'https://a.convex.site', ...pub })
		).toEqual(deployment('b'));
		expect(deploymentUrls({ CONVEX_SITE_URL: 'https://a.convex.site' })).toBeNull();
	});
});

describe('withEnvLine', () => {
	it('replaces the variable’s line in place, keeping the others', () => {
		const text = 'CONVEX_URL=https://a.convex.cloud\nAUTH_SERVER_SECRET=old\nX=1\n';
		expect(withEnvLine(text, 'AUTH_SERVER_SECRET', 'new')).toBe(
			'CONVEX_URL=https://a.convex.cloud\nAUTH_SERVER_SECRET=new\nX=1\n'
		);
		expect(withEnvLine('export AUTH_SERVER_SECRET=old', 'AUTH_SERVER_SECRET', 'new')).toBe(
			'AUTH_SERVER_SECRET=new\n'
		);
	});

	it('adds the line at the end when the variable is missing', () => {
		expect(withEnvLine('X=1', 'AUTH_SERVER_SECRET', 'new')).toBe('X=1\nAUTH_SERVER_SECRET=new\n');
		expect(withEnvLine('', 'AUTH_SERVER_SECRET', 'new')).toBe('AUTH_SERVER_SECRET=new\n');
		// A name that merely ends the same is another variable.
		expect(withEnvLine('MY_AUTH_SERVER_SECRET=a\n', 'AUTH_SERVER_SECRET', 'b')).toBe(
			'MY_AUTH_SERVER_SECRET=a\nAUTH_SERVER_SECRET=b\n'
		);
	});
});

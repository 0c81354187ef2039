import { parseEnv } from 'node:util';

/**
 * The names the Convex deployment's URL and site URL go by: this app's, then the ones `npx convex
 * dev` writes for a SvelteKit project when `.env.local` has neither. A pair is read together, so the
 * two URLs always name one deployment.
 */
const FAMILIES = [
	['CONVEX_URL', 'CONVEX_SITE_URL'],
	['PUBLIC_CONVEX_URL', 'PUBLIC_CONVEX_SITE_URL']
] as const;

type Name = (typeof FAMILIES)[number][number];

/** The deployment's URLs from the first family whose URL is set; null when none is. */
export function deploymentUrls(env: { readonly [K in Name]?: string | undefined }) {
	for (const [url, site] of FAMILIES) {
		const value = env[url];
		if (value) return { url: value, siteUrl: env[site] };
	}
	return null;
}

/**
 * `.env.local` as `npm run dev` leaves it before `convex dev` runs. The CLI fills a variable in
 * place only when exactly one name it knows for that URL is present, so each URL gets exactly one:
 * an empty duplicate is removed, and a missing name is added empty in the family already in use
 * (this app's when none is). Two set names are left alone and reported.
 */
export function seedEnvLocal(text: string): { text: string; conflicts: string[] } {
	const [ours, theirs] = FAMILIES;
	const conflicts: string[] = [];
	for (const i of [0, 1]) {
		const values = parseEnv(text);
		if (!(ours[i] in values && theirs[i] in values)) continue;
		const empty = [ours[i], theirs[i]].find((name) => !values[name]);
		if (empty) text = text.replace(line(empty), '');
		else
			conflicts.push(
				`.env.local sets both ${ours[i]} and ${theirs[i]}: \`convex dev\` updates neither while both ` +
					`are there, and the app reads ${ours[i]}. Delete one of the two lines.`
			);
	}
	const values = parseEnv(text);
	const has = (names: readonly Name[]) => names.some((name) => name in values);
	const family = has(theirs) && !has(ours) ? theirs : ours;
	const missing = [0, 1].filter((i) => !(ours[i] in values || theirs[i] in values));
	if (missing.length) {
		if (text && !text.endsWith('\n')) text += '\n';
		text += missing.map((i) => `${family[i]}=\n`).join('');
	}
	return { text, conflicts };
}

/** `.env.local` with `name` set to `value`: its line replaced in place, or one added at the end. */
export function withEnvLine(text: string, name: string, value: string): string {
	const entry = `${name}=${value}\n`;
	if (line(name).test(text)) return text.replace(line(name), entry);
	return (text && !text.endsWith('\n') ? text + '\n' : text) + entry;
}

function line(name: string) {
	return new RegExp(`^[ \\t]*(?:export[ \\t]+)?${name}[ \\t]*=.*(?:\\r?\\n|$)`, 'm');
}

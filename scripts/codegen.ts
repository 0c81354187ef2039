// Usage: tsx scripts/codegen.ts [projectDir]   (npm run codegen)
// Writes convex/_generated/ with no deployment and no network, the way `npx convex dev` would.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { format, resolveConfig } from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
const convexCli = join(
	dirname(fileURLToPath(import.meta.resolve('convex/package.json'))),
	'bin/main.js'
);
const GENERATED = ['api.d.ts', 'api.js', 'dataModel.d.ts', 'server.d.ts', 'server.js'];

type Component = { name: string; from: string };

/**
 * The CLI's offline codegen (`convex codegen --system-udfs --typecheck disable`, hidden and
 * unsupported, but it needs no deployment) writes everything but the components a deployment's
 * codegen adds from convex/convex.config.ts; those are added here. Then the project's Prettier
 * style, so that an unchanged convex/ regenerates the committed files byte for byte.
 */
export async function codegen(projectDir = root): Promise<void> {
	// Read first: a config that cannot be read must not leave the CLI's unformatted output behind.
	const components = installedComponents(join(projectDir, 'convex'));
	await promisify(execFile)(
		process.execPath,
		[convexCli, 'codegen', '--system-udfs', '--typecheck', 'disable'],
		{ cwd: projectDir }
	);
	const dir = join(projectDir, 'convex/_generated');
	for (const name of GENERATED) {
		const path = join(dir, name);
		let text = readFileSync(path, 'utf8');
		if (components.length > 0 && name === 'api.d.ts') text += componentTypes(components);
		if (components.length > 0 && name === 'api.js') text = componentsValue(text);
		const formatted = await format(text, { ...(await resolveConfig(path)), filepath: path });
		if (formatted !== readFileSync(path, 'utf8')) writeFileSync(path, formatted);
	}
}

function componentTypes(components: Component[]): string {
	const lines = components.map(
		(c) => `'${c.name}': import('${c.from}/_generated/component.js').ComponentApi<'${c.name}'>;`
	);
	return `
// Components (convex/convex.config.ts), typed as a deployment's codegen writes them; the offline
// codegen (\`convex codegen --system-udfs\`) leaves them out, so they are kept here by hand.
export declare const components: {
${lines.join('\n')}
};
`;
}

function componentsValue(apiJs: string): string {
	return (
		apiJs.replace(/import \{ anyApi \} from (['"])convex\/server\1;/, (line) =>
			line.replace('anyApi', 'anyApi, componentsGeneric')
		) +
		`
// Components (convex/convex.config.ts). A deployment's codegen writes this line; the offline codegen
// (\`convex codegen --system-udfs\`) does not, so it is kept here by hand: the one place to update.
export const components = componentsGeneric();
`
	);
}

/**
 * The components convex.config.ts installs, by the name the app reaches them under: the name given
 * to `use()`, else the one the component's own config passes to `defineComponent()`. Read from the
 * source rather than run: `use()` works only on definitions the Convex bundler has annotated.
 */
export function installedComponents(convexDir: string): Component[] {
	const file = ['convex.config.ts', 'convex.config.js']
		.map((f) => join(convexDir, f))
		.find(existsSync);
	if (file === undefined) return [];
	const source = readFileSync(file, 'utf8');
	const imports = new Map<string, string>();
	for (const [, binding, from] of source.matchAll(IMPORT)) imports.set(binding, from);
	return [...source.matchAll(USE)].map(([, binding, name]) => {
		const from = imports.get(binding);
		if (from === undefined) throw new Error(`${file}: ${binding} is not imported from a package`);
		// Types are imported from _generated/, one level below the config.
		const typesFrom = from.startsWith('.') ? posix.join('..', from) : from;
		return { name: name ?? definedName(file, from), from: typesFrom };
	});
}

const IMPORT = /import\s+(\w+)\s+from\s+['"]([^'"]+)\/convex\.config(?:\.js)?['"]/g;
const USE = /\.use\(\s*(\w+)\s*(?:,\s*\{[^}]*?\bname:\s*['"]([^'"]+)['"][^}]*\})?\s*\)/g;

function definedName(configFile: string, from: string): string {
	const path = createRequire(configFile).resolve(`${from}/convex.config.js`);
	const name = /defineComponent\(\s*['"]([^'"]+)['"]/.exec(readFileSync(path, 'utf8'))?.[1];
	if (name === undefined) throw new Error(`${path}: no defineComponent('name')`);
	return name;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const projectDir = resolve(process.argv[2] ?? root);
	codegen(projectDir).then(
		() => console.log(`[codegen] ${join(projectDir, 'convex/_generated')} is up to date`),
		(error: unknown) => {
			const failure = error as { stderr?: string; message?: string };
			console.error('[codegen]', failure.stderr || failure.message || error);
			process.exit(1);
		}
	);
}

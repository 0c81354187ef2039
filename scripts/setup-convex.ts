// First step of `npm run dev`: make sure a Convex deployment exists, its URL is in .env.local under the
// names src/env.ts reads, and Convex Auth has signing keys. Safe to run every time; it only fills gaps.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';

const ENV_FILE = '.env.local';

function convex(args: string[], capture = false): string {
	const result = spawnSync('npx', ['convex', ...args], {
		stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
		encoding: 'utf8'
	});
	if (capture) return result.status === 0 ? result.stdout.trim() : '';
	if (result.status !== 0) {
		console.error(`\`convex ${args[0]} ${args[1] ?? ''}\` failed; see the output above.`);
		process.exit(result.status ?? 1);
	}
	return '';
}

// `convex dev` updates whichever URL variable .env.local already has; seeding the names used by this
// app keeps it from writing SvelteKit's default PUBLIC_CONVEX_URL, which src/env.ts does not read.
const current = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, 'utf8') : '';
const missing = ['CONVEX_URL', 'CONVEX_SITE_URL'].filter(
	(k) => !new RegExp(`^${k}=`, 'm').test(current)
);
if (missing.length) {
	writeFileSync(
		ENV_FILE,
		current +
			(current && !current.endsWith('\n') ? '\n' : '') +
			missing.map((k) => `${k}=\n`).join('')
	);
}

// Log in / pick a project on the first run, push convex/ once.
convex(['dev', '--once']);

if (!convex(['env', 'get', 'JWKS'], true)) {
	console.log('Generating Convex Auth signing keys (JWT_PRIVATE_KEY, JWKS) for this deployment…');
	const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
	const pem = (await exportPKCS8(privateKey)).trimEnd().replace(/\n/g, ' ');
	const jwks = JSON.stringify({
		keys: [{ use: 'sig', alg: 'RS256', ...(await exportJWK(publicKey)) }]
	});
	convex(['env', 'set', 'JWT_PRIVATE_KEY', '--', pem]);
	convex(['env', 'set', 'JWKS', '--', jwks]);
}
if (!convex(['env', 'get', 'SITE_URL'], true)) {
	convex(['env', 'set', 'SITE_URL', 'http://localhost:5173']);
}

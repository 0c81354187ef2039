// First step of `npm run dev`: make sure a Convex deployment exists, its URL is in .env.local under a
// name the app reads, Convex Auth has signing keys, and the app and the deployment share a server
// secret. Safe to run every time; it only fills gaps.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { SERVER_SECRET_MIN, newServerSecret } from '../convex/gate.ts';
import { seedEnvLocal, withEnvLine } from '../src/lib/server/deployment-env.ts';
import { generateScopedKey } from '../src/lib/server/backends/scoped-keys.ts';

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

// One name per URL, so that `convex dev` fills it in and keeps it current, whichever ran first.
const current = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, 'utf8') : '';
const seeded = seedEnvLocal(current);
if (seeded.text !== current) writeFileSync(ENV_FILE, seeded.text);
for (const conflict of seeded.conflicts) console.warn(conflict);
// The app's own key for tokens scoped to one backend (SCOPED_BACKEND_ORIGINS): a dev key, kept here
// so sessions' scoped tokens survive restarts. Production sets its own (docs/other-backends.md).
if (!/^SCOPED_TOKEN_KEYS=/m.test(seeded.text)) {
	const line = `SCOPED_TOKEN_KEYS=${JSON.stringify([await generateScopedKey()])}\n`;
	writeFileSync(ENV_FILE, (seeded.text ? seeded.text.replace(/\n?$/, '\n') : '') + line);
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

// The secret password flows need (convex/gate.ts). The deployment's wins when it has one (set from
// another checkout, say), else this checkout's, else a new one; both sides end up with the same.
// Its value is never printed.
const usable = (secret: string | undefined) => (secret ?? '').length >= SERVER_SECRET_MIN;
const local = parseEnv(readFileSync(ENV_FILE, 'utf8')).AUTH_SERVER_SECRET;
const remote = convex(['env', 'get', 'AUTH_SERVER_SECRET'], true);
const secret = usable(remote) ? remote : usable(local) ? local! : newServerSecret();
if (remote !== secret) {
	console.log('Setting AUTH_SERVER_SECRET on the deployment…');
	convex(['env', 'set', 'AUTH_SERVER_SECRET', '--', secret]);
}
if (local !== secret) {
	console.log('Writing AUTH_SERVER_SECRET to .env.local…');
	writeFileSync(
		ENV_FILE,
		withEnvLine(readFileSync(ENV_FILE, 'utf8'), 'AUTH_SERVER_SECRET', secret)
	);
}

// A key rotation seen from a signed-in user, mid rolling deploy: one instance still signs scoped
// tokens with the old key, the other with the new one, both publish both. The user's requests land
// on either; the scoped backend accepts every token and nobody is signed out.
// (The whole procedure, with the backends' key caches, is src/lib/server/backends/scoped-rotation.spec.ts.)
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateScopedKey, type PrivateJwk } from '../../src/lib/server/backends/scoped-keys.ts';
import { startUpstream } from '../support/upstream.ts';
import { signUp } from './accounts.ts';
import { JWT, REFRESH, send, type Jar } from './http.ts';
import { profileUrl, startStack, type Stack } from './stack.ts';
import { port } from '../support/ports.ts';

const N = 17;
const OLD_PORT = port('SECURITY_APP_PORT') + N;
const NEW_PORT = port('SECURITY_APP_PORT') + 20 + N;
const RECORDER_PORT = port('SECURITY_UPSTREAM_PORT') - 3;
const RECORDER = `http://127.0.0.1:${RECORDER_PORT}`;

let stack: Stack;
let recorder: Awaited<ReturnType<typeof startUpstream>>;
let oldKey: PrivateJwk;
let newKey: PrivateJwk;
let jar: Jar;

beforeAll(async () => {
	[oldKey, newKey] = [await generateScopedKey(), await generateScopedKey()];
	recorder = await startUpstream(RECORDER_PORT);
	const backends = `${RECORDER},${profileUrl(N)}`;
	stack = await startStack(
		N,
		{
			// The issuer: where backends fetch the keys. Both instances publish the same two.
			PUBLIC_ORIGIN: `http://127.0.0.1:${OLD_PORT}`,
			API_UPSTREAM_URL: RECORDER,
			SCOPED_BACKEND_ORIGINS: backends,
			SCOPED_TOKEN_KEYS: JSON.stringify([oldKey, newKey])
		},
		'production',
		{
			profile: true,
			second: { port: NEW_PORT, env: { SCOPED_TOKEN_KEYS: JSON.stringify([newKey, oldKey]) } }
		}
	);
	jar = (await signUp(stack, 'rotation')).jar;
});
afterAll(async () => {
	await stack?.stop();
	await recorder?.close();
});

/** The scoped token instance `port` gives the recorder backend for this session. */
async function tokenFrom(port: number) {
	recorder.seen.length = 0;
	const res = await send(port, { path: '/api/x', headers: { cookie: jar.header() } });
	expect(res.status).toBe(200);
	return String(recorder.seen[0].headers.authorization).replace(/^Bearer /, '');
}

test('each instance signs with its own first key, for the same user', async () => {
	const [fromOld, fromNew] = [await tokenFrom(OLD_PORT), await tokenFrom(NEW_PORT)];
	expect(decodeProtectedHeader(fromOld).kid).toBe(oldKey.kid);
	expect(decodeProtectedHeader(fromNew).kid).toBe(newKey.kid);
	expect(decodeJwt(fromNew).sub).toBe(decodeJwt(fromOld).sub);
});

test('a session moving between the instances stays signed in and reaches the backend', async () => {
	const cookies = { jwt: jar.get(JWT), refresh: jar.get(REFRESH) };
	for (const port of [OLD_PORT, NEW_PORT, OLD_PORT, NEW_PORT]) {
		const res = await send(port, { path: '/account', headers: { cookie: jar.header() } });
		expect(res.status, `GET /account on ${port}`).toBe(200);
		// The profile service accepted this instance's token: the form shows, no outage message.
		expect(res.text).toContain('Save profile');
		expect(res.text).not.toContain('The profile service is unavailable');
		expect(res.setCookies.filter((c) => /max-age=0/i.test(c))).toEqual([]);
	}
	expect({ jwt: jar.get(JWT), refresh: jar.get(REFRESH) }).toEqual(cookies);
});

import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, internal } from './_generated/api';
import type { Id } from './_generated/dataModel';
import { oauthProviders } from './oauth';
import { type Test, newTest, setAuthEnv, signIn } from './test.setup';

const OIDC = {
	AUTH_OIDC_ISSUER: 'https://id.example.test',
	AUTH_OIDC_ID: 'client',
	AUTH_OIDC_SECRET: 'secret',
	AUTH_OIDC_NAME: 'Example ID'
};

beforeAll(async () => {
	await setAuthEnv();
	Object.assign(process.env, OIDC);
});

let t: Test;
beforeEach(() => {
	t = newTest();
});

const oidc = () => oauthProviders().find((p) => p.id === 'oidc')!;

const NAMES = [
	'GITHUB_ID',
	'GITHUB_SECRET',
	'GOOGLE_ID',
	'GOOGLE_SECRET',
	'OIDC_ISSUER',
	'OIDC_ID'
];

/** The providers configured by exactly `vars` among the deployment's OAuth variables. */
function providersWith(vars: Record<string, string>) {
	const saved = { ...process.env };
	for (const name of NAMES) delete process.env[`AUTH_${name}`];
	Object.assign(process.env, vars);
	try {
		return oauthProviders();
	} finally {
		process.env = saved;
	}
}

/**
 * What Convex Auth's callback route does once the provider answered: a verifier signed with the
 * flow's checks, then the user and account for the provider's profile. Returns the user signed in.
 */
async function providerSignIn(claims: Record<string, unknown>): Promise<Id<'users'>> {
	const { id, ...profile } = (await oidc().profile!(claims, {})) as { id: string };
	const verifier = await t.mutation(internal.auth.store, { args: { type: 'verifier' } });
	const signature = `signature-${id}-${Math.random()}`;
	await t.mutation(internal.auth.store, {
		args: { type: 'verifierSignature', verifier: verifier as string, signature }
	});
	await t.mutation(internal.auth.store, {
		args: { type: 'userOAuth', provider: 'oidc', providerAccountId: id, profile, signature }
	});
	const account = await t.run((ctx) =>
		ctx.db
			.query('authAccounts')
			.withIndex('providerAndAccountId', (q) =>
				q.eq('provider', 'oidc').eq('providerAccountId', id)
			)
			.unique()
	);
	return account!.userId;
}

/** A password account, its address verified (as email verification records it) or not. */
async function passwordUser(email: string, verified: boolean): Promise<Id<'users'>> {
	await signIn(t, email);
	return await t.run(async (ctx) => {
		const user = await ctx.db
			.query('users')
			.withIndex('email', (q) => q.eq('email', email))
			.unique();
		if (verified) await ctx.db.patch(user!._id, { emailVerificationTime: Date.now() });
		return user!._id;
	});
}

describe('linking a provider account to an existing user', () => {
	it('links when the provider and the user both verified the address', async () => {
		const user = await passwordUser('ada@example.com', true);
		const claims = { sub: 'p-ada', email: 'Ada@Example.com', email_verified: true };
		expect(await providerSignIn(claims)).toBe(user);
	});

	it('never links on an address the provider did not verify', async () => {
		const user = await passwordUser('ada@example.com', true);
		const claims = { sub: 'p-mallory', email: 'ada@example.com', email_verified: false };
		expect(await providerSignIn(claims)).not.toBe(user);
		const absent = { sub: 'p-absent', email: 'ada@example.com' };
		expect(await providerSignIn(absent)).not.toBe(user);
	});

	it('never links to a user whose own address is unverified', async () => {
		const user = await passwordUser('ada@example.com', false);
		const claims = { sub: 'p-ada', email: 'ada@example.com', email_verified: true };
		expect(await providerSignIn(claims)).not.toBe(user);
	});

	it('signs the same provider account into the same user every time', async () => {
		const claims = { sub: 'p-grace', email: 'grace@example.com', email_verified: false };
		expect(await providerSignIn(claims)).toBe(await providerSignIn(claims));
	});
});

describe('configured providers', () => {
	it('offers only providers whose variables are all set', () => {
		expect(providersWith({}).map((p) => p.id)).toEqual([]);
		expect(providersWith({ AUTH_GITHUB_ID: 'x' }).map((p) => p.id)).toEqual([]);
		const all = providersWith({
			AUTH_GITHUB_ID: 'a',
			AUTH_GITHUB_SECRET: 'b',
			AUTH_GOOGLE_ID: 'c',
			AUTH_GOOGLE_SECRET: 'd',
			...OIDC
		});
		expect(all.map((p) => [p.id, p.name])).toEqual([
			['github', 'GitHub'],
			['google', 'Google'],
			['oidc', 'Example ID']
		]);
	});

	it('answers the login page with ids and names', async () => {
		expect(await t.query(api.oauth.providers, {})).toEqual([{ id: 'oidc', name: 'Example ID' }]);
	});

	it("takes GitHub's email as verified only from the primary address's own flag", async () => {
		const github = providersWith({ AUTH_GITHUB_ID: 'a', AUTH_GITHUB_SECRET: 'b' })[0];
		const user = { id: 7, login: 'octo', email: 'public@example.com' };
		const verified = { ...user, primary: { email: 'Octo@Example.com', verified: true } };
		const unverified = { ...user, primary: { email: 'octo@example.com', verified: false } };
		expect(await github.profile!(verified, {})).toMatchObject({
			id: '7',
			name: 'octo',
			email: 'octo@example.com',
			emailVerified: true
		});
		expect(await github.profile!(unverified, {})).toMatchObject({ emailVerified: false });
		expect(await github.profile!(user, {})).toMatchObject({ emailVerified: false });
	});
});

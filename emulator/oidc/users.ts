/**
 * The offline OpenID provider's people (docs/offline.md names them). Each exists only there: the
 * password is for its sign-in page, never for the app.
 */
export type TestUser = {
	sub: string;
	email: string;
	emailVerified: boolean;
	name: string;
	password: string;
};

export const TEST_USERS: readonly TestUser[] = [
	{
		sub: 'ada',
		email: 'ada@example.test',
		emailVerified: true,
		name: 'Ada Lovelace',
		password: 'ada-password'
	},
	{
		sub: 'grace',
		email: 'grace@example.test',
		emailVerified: true,
		name: 'Grace Hopper',
		password: 'grace-password'
	},
	{
		// Claims an address it never proved it owns: the app must not link it to anyone's account.
		sub: 'mallory',
		email: 'mallory@example.test',
		emailVerified: false,
		name: 'Mallory (unverified email)',
		password: 'mallory-password'
	}
];

export function testUser(sub: string): TestUser | undefined {
	return TEST_USERS.find((u) => u.sub === sub);
}

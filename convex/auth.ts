import { convexAuth } from '@convex-dev/auth/server';
import { oauthProviders } from './oauth';
import { EmailPassword } from './password';

// Convex Auth's own failed-password lockout (`signIn.maxFailedAttempsPerHour`) never engages: the
// provider never hands it a password to check (see findAccount in convex/password.ts). Limits and
// lockouts are convex/abuse.ts's, per account and IP.
export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
	providers: [EmailPassword(), ...oauthProviders()],
	jwt: {
		// The JWT lifetime can be shortened per deployment (tests use seconds) without a code change.
		durationMs: Number(process.env.AUTH_JWT_DURATION_MS) || undefined,
		// email and name ride in the signed JWT so the SvelteKit server can fill `locals.user`
		// from a local signature check, with no backend round-trip per request.
		customClaims: async (ctx, { userId }) => {
			const user = await ctx.db.get(userId);
			return { email: user?.email, name: user?.name };
		}
	}
});

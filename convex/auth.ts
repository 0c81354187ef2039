import { Password } from '@convex-dev/auth/providers/Password';
import { convexAuth } from '@convex-dev/auth/server';
import { ConvexError } from 'convex/values';
import { EMAIL_MAX, PASSWORD_MAX, PASSWORD_MIN, isEmail } from './limits';

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
	providers: [
		Password({
			profile(params): { email: string; name?: string } {
				const email = String(params.email ?? '')
					.trim()
					.toLowerCase();
				if (!isEmail(email) || email.length > EMAIL_MAX) {
					throw new ConvexError({ code: 'INVALID_EMAIL' });
				}
				const name = String(params.name ?? '')
					.trim()
					.slice(0, 80);
				return name ? { email, name } : { email };
			},
			validatePasswordRequirements(password) {
				if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
					throw new ConvexError({ code: 'INVALID_PASSWORD' });
				}
			}
		})
	],
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

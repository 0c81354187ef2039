import type { Session, User } from '#lib/server/tokens.ts';

declare global {
	namespace App {
		interface Locals {
			/** The verified user, or null when anonymous. Safe to send to the page. */
			user: User | null;
			/** The Convex Auth session this request belongs to, with its JWT's lifetime; null when anonymous. */
			session: Session | null;
			/** The user's Convex JWT. Server-only: never return it from a load. */
			token: string | null;
		}
		interface PageData {
			user: User | null;
		}
	}
}

export {};

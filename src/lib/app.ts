import { APP_NAME } from '#convex/app.ts';

// Kept in convex/app.ts, where the emails the deployment sends read it too.
export { APP_NAME };

/** A page's document title: `Notes · <the app's name>`, or the name alone. */
export function title(page?: string): string {
	return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

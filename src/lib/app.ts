import { APP_NAME } from '#convex/app.ts';

// Kept in convex/app.ts, where the emails the deployment sends read it too.
export { APP_NAME };

/**
 * The page signing in lands on when `redirectTo` names none, linked from the header and the home
 * page as `label`; `path` as `resolve()` takes it, without the leading slash. Replacing the notes
 * sample with a feature of your own starts here.
 */
export const START = { path: 'notes', label: 'Notes' } as const;

/** A page's document title: `Notes · <the app's name>`, or the name alone. */
export function title(page?: string): string {
	return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

/** The app's name, as the header and every page title show it. Rename the app here. */
export const APP_NAME = 'Cookie Auth';

/**
 * The page signing in lands on when `redirectTo` names none, linked from the header and the home
 * page as `label`; `path` as `resolve()` takes it, without the leading slash. Replacing the notes
 * sample with a feature of your own starts here.
 */
export const START = { path: 'notes', label: 'Notes' } as const;

/** A page's document title: `Notes · Cookie Auth`, or the name alone. */
export function title(page?: string): string {
	return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

/** The app's name, as the header and every page title show it. Rename the app here. */
export const APP_NAME = 'Cookie Auth';

/** A page's document title: `Notes · Cookie Auth`, or the name alone. */
export function title(page?: string): string {
	return page ? `${page} · ${APP_NAME}` : APP_NAME;
}

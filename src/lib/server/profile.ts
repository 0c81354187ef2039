// The sample's REST client for examples/profile-api, called with a load's or action's `fetch`: the
// handleFetch hook adds the Bearer token its origin gets (the Convex JWT, or a token scoped to it).
import { fail } from '@sveltejs/kit';
import { config } from './config.ts';

export type ProfileSettings = { displayName: string; theme: 'system' | 'light' | 'dark' };
export const THEMES = ['system', 'light', 'dark'] as const;
export const DISPLAY_NAME_MAX = 60;

/** The user's settings; 'unavailable' when the service cannot answer; null when none is configured. */
export async function loadProfile(
	fetch: typeof globalThis.fetch
): Promise<ProfileSettings | 'unavailable' | null> {
	if (!config.profileApiUrl) return null;
	try {
		const res = await fetch(`${config.profileApiUrl}/profile`);
		if (!res.ok) return 'unavailable';
		return ((await res.json()) as { settings: ProfileSettings }).settings;
	} catch {
		return 'unavailable';
	}
}

/** The form action: checks the fields, saves them, and answers a failure in the form, input kept. */
export async function saveProfile(request: Request, fetch: typeof globalThis.fetch) {
	const form = await request.formData().catch(() => new FormData());
	const displayName = String(form.get('displayName') ?? '');
	const theme = String(form.get('theme') ?? '');
	const failed = (status: number, message: string) =>
		fail(status, { profile: { displayName, theme, message } });
	if (!config.profileApiUrl) return failed(404, 'There is no profile service.');
	if (displayName.trim().length > DISPLAY_NAME_MAX)
		return failed(400, `Display names are limited to ${DISPLAY_NAME_MAX} characters.`);
	if (!(THEMES as readonly string[]).includes(theme)) return failed(400, 'Pick a theme.');
	const res = await fetch(`${config.profileApiUrl}/profile`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ displayName, theme })
	}).catch(() => null);
	if (!res?.ok) {
		return failed(
			res?.status === 400 ? 400 : 503,
			'The profile service did not save that. Try again.'
		);
	}
	return { profile: { saved: true } };
}

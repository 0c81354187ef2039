// The emails' words: plain text and simple HTML with the app's name, no images, no tracking, and
// no link anywhere but this app (SITE_URL, the app's origin as Convex Auth knows it).
import { APP_NAME } from './app';
import { CODE_LIFETIME_MS, type Purpose } from './codes';

export type Mail = { to: string; subject: string; text: string; html: string };

const MINUTES = CODE_LIFETIME_MS / 60_000;
const PAGES: Record<Purpose, string> = { reset: '/reset-password', verify: '/verify-email' };

/** The app's page that takes this code, with the code filled in. */
export function codeLink(purpose: Purpose, email: string, code: string): string {
	const url = new URL(PAGES[purpose], process.env.SITE_URL);
	url.searchParams.set('email', email);
	url.searchParams.set('code', code);
	return url.href;
}

export function codeMail(purpose: Purpose, to: string, code: string): Mail {
	const link = codeLink(purpose, to, code);
	const [subject, intro] =
		purpose === 'reset'
			? [
					`Reset your ${APP_NAME} password`,
					`Someone asked to reset the password of your ${APP_NAME} account.`
				]
			: [
					`Verify your email for ${APP_NAME}`,
					`Confirm that this address belongs to your ${APP_NAME} account.`
				];
	const closing =
		purpose === 'reset'
			? 'If you did not ask for this, ignore this email: your password stays as it is.'
			: 'If you did not sign up, ignore this email.';
	const lines = [
		intro,
		`Your code: ${code}`,
		`Or open ${link}`,
		`The code works once, for ${MINUTES} minutes.`,
		closing
	];
	return {
		to,
		subject,
		text: lines.join('\n\n') + '\n',
		html: page([
			escape(intro),
			`Your code: <strong style="font-size:1.4em;letter-spacing:.1em">${escape(code)}</strong>`,
			`Or <a href="${escape(link)}">open this link</a>.`,
			escape(lines[3]),
			escape(closing)
		])
	};
}

/** What a reset request for an account without a password answers: how that account signs in. */
export function noPasswordMail(to: string, providers: string[]): Mail {
	const intro = `Someone asked to reset the password of your ${APP_NAME} account, but it has no password: it signs in with ${providers.join(' or ')}.`;
	const closing = 'Sign in that way instead. If you did not ask for this, ignore this email.';
	return {
		to,
		subject: `Signing in to ${APP_NAME}`,
		text: `${intro}\n\n${closing}\n`,
		html: page([escape(intro), escape(closing)])
	};
}

function page(paragraphs: string[]): string {
	const body = paragraphs.map((p) => `<p>${p}</p>`).join('\n');
	return `<!doctype html>\n<html><body style="font-family:sans-serif">\n<h1 style="font-size:1.2em">${escape(APP_NAME)}</h1>\n${body}\n</body></html>\n`;
}

function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

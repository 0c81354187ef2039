import { TEST_USERS } from './users.ts';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's own sign-in and consent page: one form, two buttons (allow, deny). */
export function signInPage(uid: string, client: string, error = ''): string {
	const users = TEST_USERS.map(
		(u) =>
			`<li><code>${escape(u.sub)}</code> / <code>${escape(u.password)}</code> — ${escape(u.name)}</li>`
	).join('');
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Offline OpenID provider</title></head>
<body>
<h1>Offline OpenID provider</h1>
<p>Sign in to continue to <strong>${escape(client)}</strong>.</p>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label>Username <input name="username" autocomplete="off"></label>
<label>Password <input name="password" type="password"></label>
<button name="decision" value="allow">Allow</button>
<button name="decision" value="deny" formnovalidate>Deny</button>
</form>
<p>Test users:</p><ul>${users}</ul>
</body></html>`;
}

// The dimensions of the CSRF matrix (csrf.spec.ts): methods, content types, and where a request
// says it comes from, allowed and forbidden.
import { APP, form } from './http.ts';

export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const multipart = (f: Record<string, string>) =>
	Object.entries(f)
		.map(([k, v]) => `--XyZ\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
		.join('') + '--XyZ--\r\n';
const plain = (f: Record<string, string>) => Object.entries(f).map(([k, v]) => `${k}=${v}\r\n`);
export const TYPES: [
	label: string,
	type: string | null,
	encode: (f: Record<string, string>) => string
][] = [
	['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', form],
	['multipart/form-data', 'multipart/form-data; boundary=XyZ', multipart],
	['text/plain', 'text/plain', (f) => plain(f).join('')],
	['text/plaiN', 'text/plaiN', (f) => plain(f).join('')],
	['application/json', 'application/json', (f) => JSON.stringify(f)],
	['no content type', null, form]
];
/** What a browser form can send: the content types a legitimate form post succeeds with. */
export const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

export type From = { origin?: string; site?: string };
export const ALLOWED: [string, From][] = [
	['the same origin', { origin: APP }],
	['no Origin but Sec-Fetch-Site: same-origin', { site: 'same-origin' }],
	['the allow-listed origin https://admin.example.com', { origin: 'https://admin.example.com' }]
];
export const FORBIDDEN: [string, From][] = [
	['neither Origin nor Sec-Fetch-Site', {}],
	['Origin: null', { origin: 'null' }],
	['the look-alike suffix https://app.example.com.evil.com', { origin: `${APP}.evil.com` }],
	['the look-alike prefix https://evilapp.example.com', { origin: 'https://evilapp.example.com' }],
	['the sibling https://other.example.com', { origin: 'https://other.example.com' }],
	['the same host over http', { origin: 'http://app.example.com' }],
	[
		'a foreign origin with Sec-Fetch-Site: cross-site',
		{ origin: 'https://evil.example', site: 'cross-site' }
	],
	[
		'a foreign origin claiming Sec-Fetch-Site: same-origin',
		{ origin: 'https://evil.example', site: 'same-origin' }
	],
	['no Origin and Sec-Fetch-Site: same-site', { site: 'same-site' }]
];

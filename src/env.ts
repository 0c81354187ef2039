import { defineEnvVars } from '@sveltejs/kit/env';
import { parseKeyList } from './lib/server/backends/scoped-keys.ts';

// Missing URLs are reported by src/lib/server/config.ts when the server starts, not here: the build
// also evaluates this file, and building must not need a deployment.
function url(name: string) {
	return (value: string | undefined) => {
		if (!value) return undefined;
		try {
			return new URL(value).origin === 'null' ? undefined : value.replace(/\/+$/, '');
		} catch {
			throw new Error(`${name} must be an absolute URL, got "${value}"`);
		}
	};
}

function list(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

function origins(name: string) {
	return (value: string | undefined) =>
		list(value).map((v) => {
			const origin = URL.canParse(v) ? new URL(v).origin : 'null';
			if (origin === 'null')
				throw new Error(`${name}: "${v}" is not an origin like https://example.com`);
			return origin;
		});
}

function positive(name: string, fallback: number) {
	return (value: string | undefined) => {
		if (!value) return fallback;
		const n = Number(value);
		if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
		return n;
	};
}

export const variables = defineEnvVars({
	CONVEX_URL: {
		description: 'Convex deployment URL (https://<name>.convex.cloud). `npx convex dev` writes it.',
		schema: url('CONVEX_URL')
	},
	CONVEX_SITE_URL: {
		description:
			'Where convex/http.ts is served (https://<name>.convex.site). Defaults to CONVEX_URL with .cloud → .site.',
		schema: url('CONVEX_SITE_URL')
	},
	// Not `public`: read on the server only, like the two above, despite the prefix.
	PUBLIC_CONVEX_URL: {
		description:
			'The name `npx convex dev` gives CONVEX_URL in a SvelteKit project; read when CONVEX_URL is unset.',
		schema: url('PUBLIC_CONVEX_URL')
	},
	PUBLIC_CONVEX_SITE_URL: {
		description:
			'The name `npx convex dev` gives CONVEX_SITE_URL; read with PUBLIC_CONVEX_URL, as a pair.',
		schema: url('PUBLIC_CONVEX_SITE_URL')
	},
	AUTH_COOKIE_SECURE: {
		description:
			'"auto" (default): __Host- names and Secure on https, plain names on http://localhost. "always": production naming everywhere.',
		schema: (value) => {
			const v = value || 'auto';
			if (v !== 'auto' && v !== 'always')
				throw new Error('AUTH_COOKIE_SECURE must be auto or always');
			return v;
		}
	},
	API_PROXY: {
		description: '"on" (default) serves /api/* as a proxy to API_UPSTREAM_URL; "off" removes it.',
		schema: (value) => {
			const v = value || 'on';
			if (v !== 'on' && v !== 'off') throw new Error('API_PROXY must be on or off');
			return v;
		}
	},
	API_UPSTREAM_URL: {
		description:
			"Where /api/* goes, with the user's Bearer token. Defaults to the Convex site URL.",
		schema: url('API_UPSTREAM_URL')
	},
	API_PUBLIC_PATHS: {
		description:
			'Comma-separated paths under /api that anonymous users may call (e.g. "health,docs").',
		schema: list
	},
	API_MAX_BODY_BYTES: {
		description: 'Largest request body the proxy forwards (bytes, default 10 MB); larger gets 413.',
		schema: positive('API_MAX_BODY_BYTES', 10 * 1024 * 1024)
	},
	API_TIMEOUT_MS: {
		description:
			'How long the proxy waits for the upstream to take each chunk of a request body, then for its response headers (default 30000); then 504.',
		schema: positive('API_TIMEOUT_MS', 30_000)
	},
	PUBLIC_ORIGIN: {
		description:
			'The origin browsers reach this app at (https://app.example.com). The /api proxy tells the upstream this host and protocol (X-Forwarded-Host/-Proto); unset: it tells none.',
		schema: (value) => {
			if (!value?.trim()) return undefined;
			const [origin] = origins('PUBLIC_ORIGIN')(value);
			if (value.replace(/\/+$/, '') !== origin)
				throw new Error(`PUBLIC_ORIGIN must be an origin only, like ${origin}`);
			return origin;
		}
	},
	BACKEND_ORIGINS: {
		description:
			"Extra origins (comma-separated) whose event.fetch calls get the user's Bearer token, besides API_UPSTREAM_URL and the Convex site.",
		schema: origins('BACKEND_ORIGINS')
	},
	SCOPED_BACKEND_ORIGINS: {
		description:
			"Backend origins (comma-separated) that get a short-lived token minted for them alone instead of the user's Convex JWT. Needs SCOPED_TOKEN_KEYS and PUBLIC_ORIGIN.",
		schema: origins('SCOPED_BACKEND_ORIGINS')
	},
	SCOPED_TOKEN_KEYS: {
		description:
			'JSON list of private JWKs (ES256 or RS256, each with kid and alg) signing the scoped tokens; the first signs, all are published at /.well-known/jwks.json.',
		schema: (value) => (value?.trim() ? parseKeyList(value) : undefined)
	},
	PROFILE_API_URL: {
		description:
			'The sample profile service (examples/profile-api): /account shows and edits its settings.',
		schema: url('PROFILE_API_URL')
	},
	TRUSTED_ORIGINS: {
		description:
			'Other origins (comma-separated) allowed to send non-GET requests here, e.g. a separate admin site. Default: none.',
		schema: origins('TRUSTED_ORIGINS')
	},
	AUTH_SERVER_SECRET: {
		description:
			'The secret this server shares with the Convex deployment (same name there): password sign-in and sign-up run only for a caller that presents it. `npm run dev` generates it for both sides.',
		schema: (value) => value || undefined
	}
});

import { defineEnvVars } from '@sveltejs/kit/env';

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
	AUTH_COOKIE_SECURE: {
		description:
			'"auto" (default): __Host- names and Secure on https, plain names on http://localhost. "always": production naming everywhere.',
		schema: (value) => {
			const v = value || 'auto';
			if (v !== 'auto' && v !== 'always')
				throw new Error('AUTH_COOKIE_SECURE must be auto or always');
			return v;
		}
	}
});

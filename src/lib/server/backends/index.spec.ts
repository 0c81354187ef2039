import { describe, expect, it, vi } from 'vitest';

vi.mock('../config.ts', () => ({
	config: {
		backendOrigins: new Set(['https://api.example.com', 'https://partner.example.com']),
		scoped: { origins: new Set(), keys: null, issuer: null }
	}
}));
// The real choice is tested in bearer.spec.ts: here, a token that names its origin.
vi.mock('./bearer.ts', async (actual) => ({
	...(await actual<typeof import('./bearer.ts')>()),
	createBearerFor: () => async (origin: string) => `token for ${origin}`
}));

const { backendAuthorization } = await import('./index.ts');

describe('backendAuthorization', () => {
	const call = async (url: string) => {
		let sent: Request | undefined;
		await backendAuthorization({
			event: { locals: { user: { id: 'u', email: '', name: '' }, token: 'jwt' } },
			request: new Request(url, { headers: { cookie: 'session=secret' } }),
			fetch: async (input: RequestInfo | URL) => ((sent = input as Request), new Response('ok'))
		} as unknown as Parameters<typeof backendAuthorization>[0]);
		return sent!;
	};

	it('gives each allow-listed origin the token chosen for it, without cookies', async () => {
		for (const origin of ['https://api.example.com', 'https://partner.example.com']) {
			const sent = await call(`${origin}/x`);
			expect(sent.headers.get('authorization')).toBe(`Bearer token for ${origin}`);
			expect(sent.headers.has('cookie')).toBe(false);
		}
	});

	it('asks for no token for any other origin', async () => {
		const sent = await call('https://elsewhere.example.com/x');
		expect(sent.headers.has('authorization')).toBe(false);
		expect(sent.headers.get('cookie')).toBe('session=secret');
	});
});

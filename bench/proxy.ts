// P2: /api proxy vs calling the same upstream directly. P3: memory while streaming 100 MB through it.
import { pidListeningOn } from '../tests/support/process.ts';
import { uploadMeasured } from '../tests/support/upload.ts';
import { spawnGroup } from './group.ts';
import { load, sideBySide } from './load.ts';
import { appHeaders, signUp, startStack } from './stack.ts';
import { port } from '../tests/support/ports.ts';

const UPSTREAM_PORT = port('BENCH_UPSTREAM_PORT');

async function startUpstreamProcess() {
	const group = spawnGroup('npx', ['tsx', 'bench/upstream-child.ts', String(UPSTREAM_PORT)], {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	await new Promise<void>((resolve) => group.child.stdout!.once('data', () => resolve()));
	return group.stop;
}

async function upload(url: URL, headers: Record<string, string>, mb: number, pid: number) {
	const result = await uploadMeasured(new URL('/api/upload', url), headers, mb, pid);
	if (JSON.parse(result.body).bytes !== mb * 1024 * 1024)
		throw new Error(`upload truncated: ${result.body}`);
	return result.rssGrowthMb;
}

/** P2 against the sample's default upstream: a Convex HTTP action (served by the emulator here). */
export async function benchProxyConvex(seconds: number) {
	const stack = await startStack(1);
	try {
		const { cookie, jwt } = await signUp(stack.url);
		const viaProxy = {
			url: `${stack.url}/api/notes/export`,
			headers: appHeaders(stack.url, cookie)
		};
		const direct = {
			url: `${stack.siteUrl}/notes/export`,
			headers: { authorization: `Bearer ${jwt}` }
		};
		for (const t of [viaProxy, direct]) {
			const res = await fetch(t.url, { headers: t.headers });
			if (res.status !== 200)
				throw new Error(`${t.url} answered ${res.status}: not authenticated?`);
		}
		const throughput = sideBySide(
			() => load(direct.url, direct.headers, { connections: 8, seconds }),
			() => load(viaProxy.url, viaProxy.headers, { connections: 8, seconds })
		);
		return {
			directRps: throughput.a.rps,
			proxyRps: throughput.b.rps,
			throughputRatio: throughput.b.rps / throughput.a.rps
		};
	} finally {
		await stack.stop();
	}
}

export async function benchProxy(seconds: number) {
	const stopUpstream = await startUpstreamProcess();
	const stack = await startStack(0, {
		API_UPSTREAM_URL: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
		API_MAX_BODY_BYTES: String(200 * 1024 * 1024)
	});
	try {
		const { cookie, jwt } = await signUp(stack.url);
		const viaProxy = { url: `${stack.url}/api/ping`, headers: appHeaders(stack.url, cookie) };
		const direct = {
			url: `http://127.0.0.1:${UPSTREAM_PORT}/v1/ping`,
			headers: { authorization: `Bearer ${jwt}` }
		};
		// Precondition: the proxied request really is authenticated by the cookie alone.
		const echo = await (await fetch(viaProxy.url, { headers: viaProxy.headers })).json();
		if (echo.auth !== `Bearer ${jwt}`)
			throw new Error(`proxy did not forward the Bearer token: ${JSON.stringify(echo)}`);

		const latency = sideBySide(
			() => load(direct.url, direct.headers, { connections: 1, seconds }),
			() => load(viaProxy.url, viaProxy.headers, { connections: 1, seconds })
		);
		const throughput = sideBySide(
			() => load(direct.url, direct.headers, { connections: 32, seconds }),
			() => load(viaProxy.url, viaProxy.headers, { connections: 32, seconds })
		);

		// What SvelteKit itself costs: the same route refusing an anonymous call before any upstream work.
		const floor = sideBySide(
			() => load(direct.url, direct.headers, { connections: 32, seconds }),
			() => load(viaProxy.url, appHeaders(stack.url), { connections: 32, seconds }),
			1,
			true
		);

		const url = new URL(stack.url);
		const pid = pidListeningOn(stack.port);
		const headers = {
			...appHeaders(stack.url, cookie),
			'content-type': 'application/octet-stream'
		};
		const firstUpload = await upload(url, headers, 100, pid);
		const growth = [];
		for (let i = 0; i < 3; i++) growth.push(await upload(url, headers, 100, pid));
		growth.sort((a, b) => a - b);

		return {
			direct: { p50: latency.a.p50, p99: latency.a.p99, rps: throughput.a.rps },
			proxy: { p50: latency.b.p50, p99: latency.b.p99, rps: throughput.b.rps },
			addedP50: latency.b.p50 - latency.a.p50,
			addedP99: latency.b.p99 - latency.a.p99,
			throughputRatio: throughput.b.rps / throughput.a.rps,
			kitFloorRps: floor.b.rps,
			rssGrowthMb: { firstAfterStart: firstUpload, median: growth[1], max: growth[2] }
		};
	} finally {
		await stack.stop();
		stopUpstream();
	}
}

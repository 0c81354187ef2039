// Load comes from wrk (Debian/Homebrew package `wrk`): microsecond latency percentiles, low overhead.
import { execFileSync, spawn } from 'node:child_process';

export type Load = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

function ms(value: string, unit: string): number {
	const n = Number(value);
	return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

/** wrk's arguments for `url` with `headers` (add `--latency` for the percentiles). */
export function wrkArgs(
	url: string,
	headers: Record<string, string>,
	opts: { connections: number; seconds: number }
): string[] {
	const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`];
	for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
	return [...args, url];
}

/** What a wrk run printed; latency percentiles only when it ran with `--latency`. */
export function parseWrk(out: string) {
	const pct = (p: string) => {
		const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(out);
		return m ? ms(m[1], m[2]) : null;
	};
	const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
	return {
		requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
		rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
		p50: pct('50'),
		p99: pct('99'),
		errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
		non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
	};
}

/** One wrk run; every response must be 2xx, or the figure is not reported as good. */
export function load(
	url: string,
	headers: Record<string, string>,
	opts: { connections: number; seconds: number }
): Load {
	const out = execFileSync('wrk', ['--latency', ...wrkArgs(url, headers, opts)], {
		encoding: 'utf8'
	});
	const { rps, p50, p99, errors, non2xx } = parseWrk(out);
	if (p50 === null || p99 === null)
		throw new Error(`no latency percentiles in wrk output:\n${out}`);
	return { rps, p50, p99, errors, non2xx };
}

/** Alternates two targets `rounds` times and keeps each one's median run, so drift hits both alike. */
export function sideBySide(a: () => Load, b: () => Load, rounds = 3, allowNon2xx = false) {
	const as: Load[] = [];
	const bs: Load[] = [];
	for (let i = 0; i < rounds; i++) {
		as.push(a());
		bs.push(b());
	}
	const median = (runs: Load[]) =>
		[...runs].sort((x, y) => x.rps - y.rps)[Math.floor(runs.length / 2)];
	const bad = [...as, ...bs].filter((r) => r.errors || (r.non2xx && !allowNon2xx));
	if (bad.length) throw new Error(`failed requests during the run: ${JSON.stringify(bad)}`);
	return { a: median(as), b: median(bs) };
}

/** wrk for `seconds`, without blocking this process (its streams must keep being read). */
export function wrkInBackground(url: string, headers: Record<string, string>, seconds: number) {
	const child = spawn('wrk', wrkArgs(url, headers, { connections: 16, seconds }), {
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let out = '';
	child.stdout.on('data', (c: Buffer) => (out += c));
	return new Promise<ReturnType<typeof parseWrk>>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', () => resolve(parseWrk(out)));
	});
}

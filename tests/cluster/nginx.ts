// deploy/nginx.conf as the cluster runs it: the same file with the test ports, scratch paths for
// what nginx writes, and one header naming the instance that answered (the tests assert on it; the
// shipped config does not reveal it).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Ports = { listen: number; instances: number[]; scratch: string };

/** Replaces exactly the lines marked by their shape in deploy/nginx.conf; throws if one is missing. */
export function nginxConfig(shipped: string, { listen, instances, scratch }: Ports): string {
	const servers = [...shipped.matchAll(/^(\s*)server 127\.0\.0\.1:\d+ (.*);$/gm)];
	if (servers.length === 0) throw new Error('deploy/nginx.conf: no `server 127.0.0.1:PORT` lines');
	const [indent, options] = [servers[0][1], servers[0][2]];
	const upstreams = instances.map((p) => `${indent}server 127.0.0.1:${p} ${options};`).join('\n');
	let config = shipped;
	for (const [i, line] of servers.entries()) config = config.replace(line[0], i ? '' : upstreams);
	const edits: [RegExp, string][] = [
		[/^(\s*)listen \d+;$/m, `$1listen 127.0.0.1:${listen};`],
		[
			/^http \{$/m,
			[
				'http {',
				...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
					(t) => `\t${t}_temp_path ${scratch}/${t};`
				),
				'\taccess_log off;',
				'\tadd_header X-Upstream $upstream_addr always;'
			].join('\n')
		]
	];
	for (const [pattern, replacement] of edits) {
		if (!pattern.test(config)) throw new Error(`deploy/nginx.conf: nothing matches ${pattern}`);
		config = config.replace(pattern, replacement);
	}
	return config;
}

/**
 * Starts Debian's nginx with deploy/nginx.conf in front of `instances`, as this user, from a
 * scratch prefix that holds its config, temp files, pid and error log.
 */
export function startNginx(listen: number, instances: number[]): ChildProcess {
	const prefix = mkdtempSync(join(tmpdir(), 'cluster-nginx-'));
	chmodSync(prefix, 0o777);
	const config = nginxConfig(readFileSync('deploy/nginx.conf', 'utf8'), {
		listen,
		instances,
		scratch: prefix
	});
	writeFileSync(join(prefix, 'nginx.conf'), config);
	const asRoot = process.getuid?.() === 0 ? 'user root; ' : '';
	// Debian puts it in /usr/sbin, which is not on every user's PATH.
	const bin = process.env.NGINX ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
	const args = ['-p', prefix, '-c', join(prefix, 'nginx.conf')];
	// Its errors (a killed instance makes some) go to a file, not the test output.
	args.push('-e', join(prefix, 'error.log'));
	args.push('-g', `${asRoot}daemon off; pid ${join(prefix, 'nginx.pid')};`);
	return spawn(bin, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

// deploy/nginx.conf as the cluster runs it: the same file with the test ports, scratch paths for
// what nginx writes, and one header naming the instance that answered (the tests assert on it; the
// shipped config does not reveal it).

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

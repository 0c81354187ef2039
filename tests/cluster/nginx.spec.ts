import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nginxConfig } from './nginx.ts';

const shipped = readFileSync('deploy/nginx.conf', 'utf8');
const ports = { listen: 4180, instances: [4181, 4182, 4183], scratch: '/tmp/x' };

describe('the cluster’s nginx config', () => {
	it('is deploy/nginx.conf with only the ports, scratch paths and the X-Upstream header changed', () => {
		const config = nginxConfig(shipped, ports);
		const [before, after] = [new Set(shipped.split('\n')), new Set(config.split('\n'))];
		const added = [...after].filter((l) => !before.has(l));
		expect(added.map((l) => l.trim())).toEqual([
			'client_body_temp_path /tmp/x/client_body;',
			'proxy_temp_path /tmp/x/proxy;',
			'fastcgi_temp_path /tmp/x/fastcgi;',
			'uwsgi_temp_path /tmp/x/uwsgi;',
			'scgi_temp_path /tmp/x/scgi;',
			'access_log off;',
			'add_header X-Upstream $upstream_addr always;',
			'server 127.0.0.1:4181 max_fails=1 fail_timeout=5s;',
			'server 127.0.0.1:4182 max_fails=1 fail_timeout=5s;',
			'server 127.0.0.1:4183 max_fails=1 fail_timeout=5s;',
			'listen 127.0.0.1:4180;'
		]);
		const dropped = [...before].filter((l) => !after.has(l));
		expect(dropped.map((l) => l.trim())).toEqual([
			'server 127.0.0.1:3001 max_fails=1 fail_timeout=5s;',
			'server 127.0.0.1:3002 max_fails=1 fail_timeout=5s;',
			'listen 8080;'
		]);
	});

	it('refuses a config it cannot adapt, rather than testing something else', () => {
		expect(() => nginxConfig(shipped.replace(/listen \d+;/, 'listen [::]:80;'), ports)).toThrow(
			/nothing matches/
		);
		expect(() => nginxConfig(shipped.replace(/server 127\.0\.0\.1/g, 'server app'), ports)).toThrow(
			/no `server 127.0.0.1:PORT` lines/
		);
	});
});

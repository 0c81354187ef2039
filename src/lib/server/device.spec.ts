import { describe, expect, it } from 'vitest';
import { describeDevice, networkOf } from './device.ts';

const FIREFOX_WINDOWS =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
	'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('networkOf', () => {
	it('keeps an IPv4 address’s /24 only', () => {
		expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
		expect(networkOf('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
	});

	it('keeps an IPv6 address’s /48 only, whatever its spelling', () => {
		expect(networkOf('2001:0db8:85a3:08d3:1319:8a2e:0370:7344')).toBe('2001:db8:85a3::/48');
		expect(networkOf('2001:db8::1')).toBe('2001:db8:0::/48');
		expect(networkOf('2001:db8:aa:bb::1%eth0')).toBe('2001:db8:aa::/48');
		expect(networkOf('::1')).toBe('0:0:0::/48');
	});

	it('answers nothing for what is not an address', () => {
		for (const junk of ['', 'unknown', '203.0.113', '<script>', '1.2.3.4.5'])
			expect(networkOf(junk)).toBe('');
	});
});

describe('describeDevice', () => {
	it('names the browser and the operating system', () => {
		expect(describeDevice(FIREFOX_WINDOWS, '203.0.113.77')).toEqual({
			browser: 'Firefox 133',
			os: 'Windows 10',
			network: '203.0.113.0/24'
		});
		expect(describeDevice(SAFARI_IPHONE, '2001:db8::1')).toMatchObject({
			browser: 'Safari 18',
			os: 'iOS 18.1'
		});
	});

	it('stays within the backend’s bounds whatever the client sends', () => {
		const device = describeDevice(`Firefox/${'9'.repeat(500)} (${'X'.repeat(500)})`, '');
		for (const text of Object.values(device)) expect(text.length).toBeLessThanOrEqual(64);
		expect(describeDevice('', '')).toEqual({ browser: '', os: '', network: '' });
	});
});

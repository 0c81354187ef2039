import Bowser from 'bowser';
import { isIPv4, isIPv6 } from 'node:net';
import { SESSION_TEXT_MAX } from '#convex/limits.ts';

const UA_MAX = 512;

export type Device = { browser: string; os: string; network: string };

/**
 * What a session list can show about a sign-in: browser and operating system from the
 * User-Agent, and the client address only as its network. The header is whatever the client
 * sent, so this is a description for people, never an input to a decision.
 */
export function describeDevice(userAgent: string, address: string): Device {
	// Real User-Agents are a few hundred characters; the parser need not read more. (It refuses '').
	const header = userAgent.slice(0, UA_MAX);
	const parsed: Pick<Bowser.Parser.ParsedResult, 'browser' | 'os'> = header
		? Bowser.parse(header)
		: { browser: {}, os: {} };
	const text = (...parts: (string | undefined)[]): string =>
		parts.filter(Boolean).join(' ').slice(0, SESSION_TEXT_MAX);
	return {
		browser: text(parsed.browser.name, parsed.browser.version?.split('.')[0]),
		os: text(parsed.os.name, parsed.os.versionName ?? parsed.os.version),
		network: networkOf(address)
	};
}

/** The /24 of an IPv4 address or the /48 of an IPv6 one; '' for anything else. */
export function networkOf(address: string): string {
	const ip = address.replace(/%.*$/, ''); // an IPv6 zone names the interface, not the network
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
	if (mapped) return networkOf(mapped);
	if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
	if (!isIPv6(ip)) return '';
	const [head, tail] = ip.split('::');
	const groups = head ? head.split(':') : [];
	// `a::b` leaves out zero groups; only the first three matter, so pad with the zeros left out.
	if (tail !== undefined) groups.push('0', '0', '0');
	const prefix = groups.slice(0, 3).map((g) => parseInt(g, 16).toString(16));
	return `${prefix.join(':')}::/48`;
}

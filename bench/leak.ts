// The soak's self-test (BENCH_SOAK_LEAK_KB): preloaded into each instance, keeps about that many KB
// of JS objects per request for good, a leak the soak's "no growth after 10 s" checks must catch.
import { subscribe } from 'node:diagnostics_channel';

const kb = Number(process.env.LEAK_KB);
if (!(kb > 0)) throw new Error('bench/leak.ts needs LEAK_KB');
const kept: unknown[] = [];
// One array of small integers is 8 bytes an element in V8's heap.
subscribe('http.server.request.start', () => void kept.push(new Array(kb * 128).fill(1)));

import { describe, expect, it } from 'vitest';
import { parseWrk } from './load.ts';

// What wrk 4.2 prints: a `--latency` run whose every response was a 404, then one with socket errors.
const withLatency = `Running 1s test @ http://127.0.0.1:18777/nonexistent
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.45ms    6.00ms  54.70ms   90.67%
    Req/Sec     0.92k   238.82     1.19k    60.00%
  Latency Distribution
     50%  341.00us
     75%    6.37ms
     90%   10.98ms
     99%    1.20s
  913 requests in 1.00s, 463.81KB read
  Non-2xx or 3xx responses: 913
Requests/sec:    911.85
Transfer/sec:    463.23KB
`;
const withSocketErrors = `Running 60s test @ http://127.0.0.1:4180/notes
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    78.10ms   20.01ms 300.00ms   80.00%
    Req/Sec   205.00     30.00   260.00     70.00%
  12169 requests in 1.00m, 90.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
Requests/sec:    202.80
Transfer/sec:      1.50MB
`;

describe('parseWrk', () => {
	it('reads requests, rate, latency percentiles in milliseconds and non-2xx responses', () => {
		expect(parseWrk(withLatency)).toEqual({
			requests: 913,
			rps: 911.85,
			p50: 0.341,
			p99: 1200,
			errors: 0,
			non2xx: 913
		});
	});

	it('adds up every kind of socket error, and has no percentiles for a run without --latency', () => {
		expect(parseWrk(withSocketErrors)).toEqual({
			requests: 12169,
			rps: 202.8,
			p50: null,
			p99: null,
			errors: 10,
			non2xx: 0
		});
	});
});

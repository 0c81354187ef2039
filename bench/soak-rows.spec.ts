import { describe, expect, it } from 'vitest';
import type { Soak } from './soak.ts';
import { HEAP_NOISE_MB, RSS_NOISE_MB, soakRows } from './soak-rows.ts';

const at = (heapMb: number, rssMb = 150) => [
	{ heapMb, rssMb, externalMb: 12 },
	{ heapMb, rssMb, externalMb: 12 }
];
/** RSS rises 1 MB a second on the first instance after 10 s, by `rssEnd` in all on the second. */
const soak = (heap10s: number, heapEnd: number, errors = 0, rssEnd = 0): Soak => ({
	streams: 1000,
	seconds: 60,
	ssrRequests: 12000,
	notesWritten: 60,
	errors,
	errorsBy: { stream: errors, socket: 0, non2xx: 0, write: 0, missedUpdates: 0 },
	retained: { atStart: at(25, 130), at10s: at(heap10s), atEnd: at(heapEnd, 400) },
	readings: [0, 5, 10, 60].map((t) => ({
		at: t,
		rssMb: [130 + Math.min(t, 10), 131 + (t > 10 ? rssEnd : 0)],
		v8Mb: [40, 41]
	}))
});
const verdict = (s: Soak, row: number) => soakRows(s)[row][3];

describe('the soak rows', () => {
	it('count any error as a miss', () => {
		expect(verdict(soak(50, 50), 0)).toBe('ok');
		expect(verdict(soak(50, 50, 1), 0)).toBe('MISSED');
	});

	it('report RSS as it is at the start, at or after 10 s and at the end, V8’s share beside it', () => {
		expect(soakRows(soak(50, 50, 0, 5))[1][1]).toBe(
			'130 / 131 (40 / 41) → 140 / 131 (40 / 41) → 140 / 136 (40 / 41)'
		);
	});

	it('hold RSS to no growth beyond the measured noise after 10 s, on every instance', () => {
		expect(verdict(soak(50, 50, 0, RSS_NOISE_MB - 0.5), 2)).toBe('ok');
		expect(verdict(soak(50, 50, 0, RSS_NOISE_MB + 0.5), 2)).toBe('MISSED');
	});

	it('take the highest RSS after 10 s, so a dip at the end does not hide a rise', () => {
		const dipped = soak(50, 50, 0, RSS_NOISE_MB + 10);
		dipped.readings.push({ at: 61, rssMb: [140, 131], v8Mb: [40, 41] });
		expect(verdict(dipped, 2)).toBe('MISSED');
	});

	it('hold the live heap to no growth beyond the measured noise after 10 s', () => {
		expect(verdict(soak(50, 50 + HEAP_NOISE_MB - 0.5), 3)).toBe('ok');
		expect(verdict(soak(50, 50 + HEAP_NOISE_MB + 0.5), 3)).toBe('MISSED');
		expect(verdict(soak(50, 40), 3)).toBe('ok');
	});
});

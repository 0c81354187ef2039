import { describe, expect, it } from 'vitest';
import type { Soak } from './soak.ts';
import { HEAP_NOISE_MB, soakRows } from './soak-rows.ts';

const at = (heapMb: number, rssMb = 150) => [
	{ heapMb, rssMb, externalMb: 12 },
	{ heapMb, rssMb, externalMb: 12 }
];
const soak = (heap10s: number, heapEnd: number, errors = 0): Soak => ({
	streams: 1000,
	seconds: 60,
	ssrRequests: 12000,
	notesWritten: 60,
	errors,
	retained: { atStart: at(25, 130), at10s: at(heap10s), atEnd: at(heapEnd, 400) },
	readings: [0, 5, 10, 60].map((t) => ({ at: t, rssMb: [130 + t, 131 + t], v8Mb: [40, 41] }))
});
const verdict = (s: Soak, row: number) => soakRows(s)[row][3];

describe('the soak rows', () => {
	it('hold the live heap to no growth beyond the measured noise after 10 s', () => {
		expect(verdict(soak(50, 50 + HEAP_NOISE_MB - 0.5), 1)).toBe('ok');
		expect(verdict(soak(50, 50 + HEAP_NOISE_MB + 0.5), 1)).toBe('MISSED');
		expect(verdict(soak(50, 40), 1)).toBe('ok');
	});

	it('count any error as a miss', () => {
		expect(verdict(soak(50, 50), 0)).toBe('ok');
		expect(verdict(soak(50, 50, 1), 0)).toBe('MISSED');
	});

	it('report RSS after 10 s from the reading at or after 10 s, V8’s share beside it', () => {
		expect(soakRows(soak(50, 50))[3][1]).toBe(
			'130 / 131 (40 / 41) → 140 / 141 (40 / 41) → 190 / 191 (40 / 41)'
		);
	});
});

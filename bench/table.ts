// The bench's table: figure, measured, target, and whether the target is met.
export type Row = [string, string, string, string];

export const ok = (pass: boolean) => (pass ? 'ok' : 'MISSED');

export function printTable(rows: Row[]) {
	const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
	console.log(['figure', 'measured', 'target', ''].map((h, i) => h.padEnd(widths[i])).join(' | '));
	console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
	for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i])).join(' | '));
}

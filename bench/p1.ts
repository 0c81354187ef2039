// P1 alone (`tsx bench/p1.ts`): signed-in ÷ anonymous SSR, its control and the junk-cookie row, as
// `npm run bench` takes them, for rerunning on a quiet machine without the rest of the bench.
import './preflight.ts';
import { benchSsr, ssrRows } from './auth.ts';
import { printTable } from './table.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
printTable(ssrRows(await benchSsr(seconds, 5)));

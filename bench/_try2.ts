import { benchLiveScale } from './live.ts';
const t0 = Date.now();
console.log(JSON.stringify(await benchLiveScale(Number(process.env.N ?? 50), 2), null, 1), (Date.now() - t0) / 1000, 's');

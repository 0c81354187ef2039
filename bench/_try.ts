import { benchLiveLatency, benchLiveScale } from '/work/main/bench/live.ts';
console.log(JSON.stringify(await benchLiveLatency(50), null, 1));
const t0 = Date.now();
console.log(JSON.stringify(await benchLiveScale(Number(process.env.N ?? 50), 2), null, 1), (Date.now() - t0) / 1000, 's');

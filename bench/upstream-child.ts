// Runs tests/support/upstream.ts in its own process, so the load generator does not share its event loop.
import { startUpstream } from '../tests/support/upstream.ts';

const upstream = await startUpstream(Number(process.argv[2] ?? 0));
process.stdout.write(`${upstream.port}\n`);
process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));

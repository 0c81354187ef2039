// `npm run bench` runs this before `vite build`: a missing tool should cost a second, not a build.
import { spawnSync } from 'node:child_process';

const wrk = spawnSync('wrk', ['--version'], { stdio: 'ignore' });
// `wrk --version` exits 1 after printing its version; only a missing binary is a problem.
if ((wrk.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
	console.error(
		'npm run bench needs wrk, which is not on PATH: `sudo apt-get install wrk` or `brew install wrk`'
	);
	process.exit(1);
}

/**
 * `npm run bench`: every kernel × available backend × size (tinybench), checked against the reference before timing,
 * with the numpy/PyTorch GEMM baseline measured in the same run. Arguments are passed to `aecheck bench`
 * (e.g. `npm run bench -- --json --sizes 64,128`).
 */
import { main } from '../src/cli/main.ts';

const extra = process.argv.slice(2);
await main(['node', 'aecheck', 'bench', ...extra]);

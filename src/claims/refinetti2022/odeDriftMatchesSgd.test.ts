import { expect, test } from 'vitest';
import { getKernelSet } from '../../kernels/registry.ts';
import { runClaim } from '../runClaim.ts';
import { odeDriftMatchesSgd } from './odeDriftMatchesSgd.ts';

// Found by `npx aecheck verify` in a fresh clone (seed 2055071471): a ReLU network whose drawn biases switch every unit
// off, so every one-step increment is exactly 0 and no component has a positive standard error. The claim used to
// ERROR (an allowance of Infinity); the drift is now judged against round-off there.
test('a draw with every unit inactive (no Monte Carlo spread at all) is judged against round-off, not an error', async () => {
  const result = await runClaim(odeDriftMatchesSgd, {
    seed: 2055071471,
    kernels: await getKernelSet('reference'),
    params: { activation: 'relu', bias: 'trained', rule: 'truncated', seed: 1831954256 },
  });
  expect(result.status).toBe('pass');
  if (result.status !== 'pass') return;
  // Every check is at round-off scale: the allowance is tiny, so a wrong nonzero drift would fail.
  for (const c of result.measurement.checks) expect(c.allowed).toBeLessThan(1e-10);
});

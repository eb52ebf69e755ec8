/**
 * Every claim can fail: each claim declares negative controls (its own measurement on a deliberately wrong input) and
 * each must FAIL through the same runner `verify` uses. A claim without a control must say why (`noControlReason`:
 * an identity on our own code, stated as such). This is the guard against checks that cannot fail.
 */
import { describe, expect, test } from 'vitest';
import { catalog } from '../src/claims/catalog.ts';
import { runControl } from '../src/claims/runControl.ts';
import { defaultBackendId, getKernelSet } from '../src/kernels/registry.ts';
import { describeCheck } from '../src/report/formatCheck.ts';
import { scaledTimeout } from '../src/testing/scaledTimeout.ts';

/** The seed of the controls (AECHECK_SEED in CI, else fixed: a control must fail for every seed, not by luck). */
const SEED = Number(process.env.AECHECK_SEED ?? 20261130);

describe('negative controls', () => {
  for (const claim of catalog) {
    const controls = claim.controls ?? [];
    test(`${claim.id} declares a negative control or says why it has none`, () => {
      if (controls.length === 0) {
        expect(claim.noControlReason, `${claim.id}: add controls, or noControlReason for an identity`).toBeTruthy();
        expect(claim.statement.toLowerCase()).toMatch(/identity|our own/);
      }
    });
    for (const control of controls) {
      test(`${claim.id} FAILS on ${control.name}: ${control.description}`, {
        timeout: scaledTimeout(300_000),
      }, async () => {
        const kernels = await getKernelSet(await defaultBackendId());
        const outcome = await runControl(claim, control, { seed: SEED, kernels, scale: 'quick' });
        const checks =
          outcome.result.status === 'pass' || outcome.result.status === 'fail'
            ? outcome.result.measurement.checks.map(describeCheck).join('\n  ')
            : '';
        expect(outcome.caught, `${outcome.why}\n  ${checks}`).toBe(true);
      });
    }
  }
});

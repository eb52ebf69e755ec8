import { describe, expect, test } from 'vitest';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import { integrateOde } from './integrateOde.ts';

/** One linear unit on one direction (K = n = 1): small and fast; every case breaks one thing. */
function base(a = 0.1, b = 0.1) {
  return {
    spectrum: { dim: 1, values: Float64Array.from([1]) },
    activation: 'linear' as const,
    rule: 'vanilla' as const,
    learningRate: 1,
    initial: { hidden: 1, directions: 1, a: Float64Array.from([a]), b: Float64Array.from([b]) },
    times: [1],
  };
}

function message(f: () => unknown, kind: typeof ValidationError | typeof DivergenceError = ValidationError): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(kind);
    return (e as Error).message;
  }
  throw new Error('no error thrown');
}

describe('integrateOde error messages say what was expected and how to fix it', () => {
  test("zod's preamble ('Invalid option: expected') is dropped: the message reads 'expected one of …'", () => {
    expect(message(() => integrateOde({ ...base(), rule: 'sequential' as never }))).toBe(
      'Invalid rule: received "sequential", expected one of "vanilla"|"truncated"',
    );
  });

  test('only a bad tolerance gets the tolerance hint', () => {
    expect(message(() => integrateOde({ ...base(), learningRate: -1 }))).not.toMatch(/fix:/);
    expect(message(() => integrateOde({ ...base(), tolerance: 1 }))).toMatch(/\(fix: use e\.g\. 1e-8\)$/);
  });

  test('the Rosenbrock and tied-weights refusals say how to fix them', () => {
    const bias = { initial: { ...base().initial, bias: Float64Array.from([0.1]) }, trainBias: true };
    expect(message(() => integrateOde({ ...base(), ...bias, method: 'rosenbrock' }))).toMatch(
      /fix: the Rosenbrock integrator handles no bias or a fixed bias; integrate a trained bias with method "adaptive"/,
    );
    expect(message(() => integrateOde({ ...base(), tied: true }))).toMatch(
      /fix: the ODEs cover untied weights only .*simulate tied weights instead/,
    );
  });

  test('finite weights whose ε overflows diverge at t = 0, naming epsilon', () => {
    // a = 1e200: Q = κa² overflows to ∞ although every weight is finite.
    const m = message(() => integrateOde({ ...base(1e200, 1e-100), times: [0] }), DivergenceError);
    expect(m).toMatch(/^Run diverged at step 0: epsilon = /);
  });

  test('a state that becomes NaN within a step is caught at that step and names the encoder projection', () => {
    // b = 1e100: the first RK4 step overflows the stages (measured: a = NaN after t = 0.001), before ε is recorded.
    const m = message(
      () => integrateOde({ ...base(1e-3, 1e100), times: [0, 10], method: 'rk4', step: 0.001 }),
      DivergenceError,
    );
    expect(m).toMatch(/^Run diverged at step 0\.001: a \(encoder projection\) = NaN/);
  });
});

import { describe, expect, test } from 'vitest';
import { smallRosenbrock } from '../../testing/smallRosenbrock.ts';

/**
 * Behaviour of the RODAS4 stepper (`rosenbrockStepper.ts`) that the accuracy tests do not see, found by mutation
 * testing: what is computed once and reused between calls.
 */
function smallStepper() {
  const { field, stepper } = smallRosenbrock('erf');
  const y = Float64Array.from({ length: field.size }, (_, i) => 0.4 * Math.sin(1 + 2.3 * i));
  return { field, stepper, y };
}

describe('RODAS4 stepper: set-ups are reused', () => {
  test('a second attempt at the same point and step size sets nothing up again and gives the same step', () => {
    const { field, stepper, y } = smallStepper();
    const first = new Float64Array(field.size);
    const second = new Float64Array(field.size);
    const error = new Float64Array(field.size);
    expect(stepper.attempt(y, 0.5, first, error, true)).toBe(true);
    expect(stepper.attempt(y, 0.5, second, error, false)).toBe(true);
    // One Jacobian and one set-up of the stage matrix per (state, step size); six evaluations per attempt.
    expect(stepper.stats).toEqual({ jacobians: 1, factorizations: 1, evaluations: 12 });
    expect(Array.from(second)).toEqual(Array.from(first));
    // A new step size sets the stage matrix up again, from the same Jacobian.
    expect(stepper.attempt(y, 0.25, second, error, false)).toBe(true);
    expect(stepper.stats).toEqual({ jacobians: 1, factorizations: 2, evaluations: 18 });
  });
});

/**
 * A small RODAS4 set-up shared by the stepper's tests: K = 2 units, n = 3 directions with κ = (2, 0.8, 0.3), learning
 * rate 1, the vanilla rule and no bias.
 */
import { type OdeActivation, resolveActivation } from '../theory/refinetti2022/odeActivation.ts';
import { createRosenbrockStepper } from '../theory/refinetti2022/rosenbrockStepper.ts';
import { createVectorField } from '../theory/refinetti2022/vectorField.ts';

export function smallRosenbrock(activation: OdeActivation = 'erf') {
  const K = 2;
  const n = 3;
  const kappa = Float64Array.from([2, 0.8, 0.3]);
  const field = createVectorField({
    hidden: K,
    directions: n,
    kappa,
    activation: resolveActivation(activation),
    rule: 'vanilla',
    learningRate: 1,
  });
  const stepper = createRosenbrockStepper({
    field,
    hidden: K,
    directions: n,
    kappa,
    learningRate: 1,
    truncated: false,
    fixedBias: false,
  });
  return { field, stepper };
}

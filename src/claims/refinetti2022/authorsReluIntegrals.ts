import { I2ReluAuthorsCode } from '../../theory/refinetti2022/integrals.ts';
import { type ActivationIntegrals, resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';

/**
 * ReLU's integrals with the authors' `I2_relu` (docs/theory-refinetti2022.md (E8), bug (K9): half the true E[relu(x1)
 * relu(x2)]) in place of the correct I2: the wrong integral the negative controls of the ODE claims feed in.
 */
export function authorsReluIntegrals(): ActivationIntegrals {
  const relu = resolveActivation('relu');
  return { ...relu, name: 'relu (authors’ I2)', i2: I2ReluAuthorsCode };
}

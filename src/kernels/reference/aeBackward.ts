import type { AeBackwardArgs, AeBackwardResult } from '../kernelSpecs.ts';
import { activateDerivative } from './activation.ts';
import { aeForward } from './aeForward.ts';

/**
 * Reference backward pass of L = ½ Σ_batch ‖x − x̂‖²: with E = X̂ − X,
 * ∂L/∂V = Eᵀ h (D×K), ∂L/∂λ = (E V) ⊙ g'(λ) (B×K), ∂L/∂W = (∂L/∂λ)ᵀ X / √D (K×D), ∂L/∂b = Σ_batch ∂L/∂λ.
 */
export function aeBackward(args: AeBackwardArgs): AeBackwardResult {
  const { pre, hidden, out } = aeForward(args);
  const { batch: nb, inputDim: d, hidden: k, x, v, activation } = args;
  const invSqrtD = 1 / Math.sqrt(d);
  const gradW = new Float64Array(k * d);
  const gradBias = new Float64Array(k);
  const gradV = new Float64Array(d * k);
  const delta = new Float64Array(k);
  let loss = 0;
  for (let s = 0; s < nb; s++) {
    const xo = s * d;
    delta.fill(0);
    for (let i = 0; i < d; i++) {
      const e = out[xo + i] - x[xo + i];
      loss += 0.5 * e * e;
      for (let j = 0; j < k; j++) {
        gradV[i * k + j] += e * hidden[s * k + j];
        delta[j] += e * v[i * k + j];
      }
    }
    for (let j = 0; j < k; j++) {
      const dl = delta[j] * activateDerivative(activation, pre[s * k + j]);
      gradBias[j] += dl;
      const c = dl * invSqrtD;
      if (c === 0) continue;
      const wo = j * d;
      for (let i = 0; i < d; i++) gradW[wo + i] += c * x[xo + i];
    }
  }
  return { gradW, gradBias, gradV, loss };
}

/**
 * OpenBLAS backward pass of L = ½ Σ_batch ‖x − x̂‖²: with E = X̂ − X (B×D), three GEMMs — ∂L/∂V = Eᵀ h (D×K),
 * E V (B×K), and ∂L/∂W = (∂L/∂λ)ᵀ X/√D (K×D) with ∂L/∂λ = (E V) ⊙ g'(λ); ∂L/∂b = Σ_batch ∂L/∂λ.
 */
import type { AeBackwardArgs, AeBackwardResult, AeForwardArgs, AeForwardResult, KernelSpecs } from '../kernelSpecs.ts';
import { activateDerivative } from '../reference/activation.ts';

/** The backward pass over a backend's GEMM and forward pass. */
export function makeAeBackward(
  gemm: KernelSpecs['gemm'],
  aeForward: (args: AeForwardArgs) => AeForwardResult,
): (args: AeBackwardArgs) => AeBackwardResult {
  return (args) => {
    const { pre, hidden, out } = aeForward(args);
    const { batch: nb, inputDim: d, hidden: k, x, v, activation } = args;
    const e = new Float64Array(nb * d);
    let loss = 0;
    for (let i = 0; i < nb * d; i++) {
      const r = out[i] - x[i];
      e[i] = r;
      loss += 0.5 * r * r;
    }
    const gradV = gemm({ m: d, n: k, k: nb, a: e, b: hidden, transA: true });
    const delta = gemm({ m: nb, n: k, k: d, a: e, b: v });
    const gradBias = new Float64Array(k);
    for (let s = 0; s < nb; s++) {
      for (let j = 0; j < k; j++) {
        const dl = delta[s * k + j] * activateDerivative(activation, pre[s * k + j]);
        delta[s * k + j] = dl;
        gradBias[j] += dl;
      }
    }
    const gradW = gemm({ m: k, n: d, k: nb, a: delta, b: x, transA: true, alpha: 1 / Math.sqrt(d) });
    return { gradW, gradBias, gradV, loss };
  };
}

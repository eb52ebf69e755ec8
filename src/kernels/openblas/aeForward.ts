/**
 * OpenBLAS forward pass of the autoencoder: two GEMMs, λ = X Wᵀ/√D + b (B×K) and X̂ = h Vᵀ (B×D), with h = g(λ) in
 * between (float64 arithmetic on the GEMMs' results; in the float32 backend the GEMMs round their inputs to float32).
 */
import { checkAeArgs } from '../checkArgs.ts';
import type { AeForwardArgs, AeForwardResult, KernelSpecs } from '../kernelSpecs.ts';
import { activate } from '../reference/activation.ts';

/** The forward pass over a backend's GEMM. */
export function makeAeForward(gemm: KernelSpecs['gemm']): (args: AeForwardArgs) => AeForwardResult {
  return (args) => {
    checkAeArgs(args);
    const { batch: nb, inputDim: d, hidden: k, x, w, v, bias, activation } = args;
    const pre = gemm({ m: nb, n: k, k: d, a: x, b: w, transB: true, alpha: 1 / Math.sqrt(d) });
    const hidden = new Float64Array(nb * k);
    for (let s = 0; s < nb; s++) {
      for (let j = 0; j < k; j++) {
        const l = bias ? pre[s * k + j] + bias[j] : pre[s * k + j];
        pre[s * k + j] = l;
        hidden[s * k + j] = activate(activation, l);
      }
    }
    const out = gemm({ m: nb, n: d, k, a: hidden, b: v, transB: true });
    return { pre, hidden, out };
  };
}

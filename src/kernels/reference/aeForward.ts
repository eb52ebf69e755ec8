import { checkAeArgs } from '../checkArgs.ts';
import type { AeForwardArgs, AeForwardResult } from '../kernelSpecs.ts';
import { activate } from './activation.ts';

/** Reference forward pass: λ = X Wᵀ/√D + b, h = g(λ), X̂ = h Vᵀ (float64). */
export function aeForward(args: AeForwardArgs): AeForwardResult {
  checkAeArgs(args);
  const { batch: nb, inputDim: d, hidden: k, x, w, v, bias, activation } = args;
  const invSqrtD = 1 / Math.sqrt(d);
  const pre = new Float64Array(nb * k);
  const hidden = new Float64Array(nb * k);
  const out = new Float64Array(nb * d);
  for (let s = 0; s < nb; s++) {
    const xo = s * d;
    for (let j = 0; j < k; j++) {
      const wo = j * d;
      let acc = 0;
      for (let i = 0; i < d; i++) acc += w[wo + i] * x[xo + i];
      const l = acc * invSqrtD + (bias ? bias[j] : 0);
      pre[s * k + j] = l;
      hidden[s * k + j] = activate(activation, l);
    }
    for (let i = 0; i < d; i++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += v[i * k + j] * hidden[s * k + j];
      out[xo + i] = acc;
    }
  }
  return { pre, hidden, out };
}

import { ValidationError } from '../../core/errors.ts';
import type { Activation, ElementwiseArgs, ElementwiseOp } from '../kernelSpecs.ts';
import { activate, activateDerivative } from './activation.ts';

const BINARY: readonly ElementwiseOp[] = ['add', 'mul', 'axpy'];
const DERIVATIVE_OF: Partial<Record<ElementwiseOp, Activation>> = {
  dLinear: 'linear',
  dErf: 'erf',
  dRelu: 'relu',
  dSign: 'sign',
};

/** Reference elementwise map (float64); arcsin of a value outside [−1, 1] is NaN, as Math.asin gives. */
export function elementwise(args: ElementwiseArgs): Float64Array {
  const { op, x, y, alpha = 1 } = args;
  const n = x.length;
  if (BINARY.includes(op) && (!y || y.length !== n)) {
    throw new ValidationError({
      field: 'elementwise.y',
      received: y ? `length ${y.length}` : y,
      expected: `length ${n} for op ${op}`,
    });
  }
  const out = new Float64Array(n);
  const deriv = DERIVATIVE_OF[op];
  switch (op) {
    case 'sign':
      // activate('sign', ·) without a branch: the signs of a product's entries are random, so a branch is mispredicted
      // half the time (tied SGD's code s = sign(BX) every step; this loop measured 2–3× faster). NaN and ±0 give +0,
      // as activate does.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = +(v > 0) - +(v < 0);
      }
      return out;
    case 'linear':
    case 'erf':
    case 'relu':
      for (let i = 0; i < n; i++) out[i] = activate(op, x[i]);
      return out;
    case 'dLinear':
    case 'dErf':
    case 'dRelu':
    case 'dSign':
      for (let i = 0; i < n; i++) out[i] = activateDerivative(deriv as Activation, x[i]);
      return out;
    case 'arcsin':
      for (let i = 0; i < n; i++) out[i] = Math.asin(x[i]);
      return out;
    case 'square':
      for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      return out;
    case 'scale':
      for (let i = 0; i < n; i++) out[i] = alpha * x[i];
      return out;
    case 'add':
      for (let i = 0; i < n; i++) out[i] = x[i] + (y as Float64Array)[i];
      return out;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = x[i] * (y as Float64Array)[i];
      return out;
    case 'axpy':
      for (let i = 0; i < n; i++) out[i] = alpha * x[i] + (y as Float64Array)[i];
      return out;
  }
}

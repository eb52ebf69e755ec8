import { erf } from '../../core/special.ts';
import type { Activation } from '../kernelSpecs.ts';

/** √(2/π): g'(0) for g(x) = erf(x/√2). */
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** g(x) for each activation; `erf` is erf(x/√2). */
export function activate(g: Activation, x: number): number {
  switch (g) {
    case 'linear':
      return x;
    case 'erf':
      return erf(x / Math.SQRT2);
    case 'relu':
      return Math.max(x, 0);
    case 'sign':
      return x > 0 ? 1 : x < 0 ? -1 : 0;
  }
}

/** g'(x); ReLU's derivative is 1[x > 0]; sign's is 0 almost everywhere. */
export function activateDerivative(g: Activation, x: number): number {
  switch (g) {
    case 'linear':
      return 1;
    case 'erf':
      return SQRT_2_OVER_PI * Math.exp(-0.5 * x * x);
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'sign':
      return 0;
  }
}

import { SkipClaim } from '../../core/errors.ts';
import type { Precision } from '../../kernels/kernelSpecs.ts';

/**
 * The GD claims check convergence and structure to float64 round-off (gaps of 1e-9, structure to 1e-6, equivariance to
 * 1e-10 per step). A float32 backend cannot reach those (measured on gpujs:webasm: up to 250× over), so on one the claim
 * is skipped with this reason instead of failing on precision; the statistical claims run on every backend.
 */
export function requireFloat64(precision: Precision): void {
  if (precision !== 'float64') {
    throw new SkipClaim(
      'its tolerances are float64 round-off (1e-9 gaps, 1e-10 equivariance); run it on the reference backend',
    );
  }
}

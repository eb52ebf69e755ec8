/**
 * Optimisers that return their start: the negative controls of the gradient-method claims. A claim whose checks pass
 * on one of these cannot tell a working optimiser from a broken one (the Gaussian start is already delocalised, and
 * a no-op is equivariant), so each GD claim must FAIL when its optimiser is replaced by the matching no-op.
 */
import { type Matrix, matrix } from '../../core/matrix.ts';
import type { ProjectedGdOptions, ProjectedGdResult } from '../../sim/shevchenko2023/projectedGd.ts';
import type { ReducedGdOptions, ReducedGdResult } from '../../sim/shevchenko2023/reducedGd.ts';
import type { TiedSgdOptions } from '../../sim/shevchenko2023/tiedSgd.ts';
import { normalizeRows, optimalDecoder, reducedRisk, signRisk } from '../../theory/shevchenko2023/signRisk.ts';

/** The recorded iterations of an optimiser run: `record`, or 0 and the last (the optimisers' default). */
function recorded(iterations: number, record: readonly number[] | undefined): number[] {
  return Array.from(new Set(record ?? [0, iterations])).filter((t) => t <= iterations);
}

/** Projected GD that never steps: returns (A₀, B̂₀) and the start's risk at every recorded iteration. */
export function noOpProjectedGd(options: ProjectedGdOptions): ProjectedGdResult {
  const encoder = normalizeRows(options.encoder);
  const decoder = matrix(options.decoder.rows, options.decoder.cols, Float64Array.from(options.decoder.data));
  const risk = signRisk(decoder, encoder);
  const iterations = recorded(options.iterations, options.record);
  return { decoder, encoder, iterations, risk: iterations.map(() => risk) };
}

/** GD on R*(B) that never steps: returns B̂₀, A*(B₀) and R*(B₀) at every recorded iteration. */
export function noOpReducedGd(options: ReducedGdOptions): ReducedGdResult {
  const encoder = normalizeRows(options.encoder);
  const risk = reducedRisk(encoder);
  const iterations = recorded(options.iterations, options.record);
  return {
    decoder: optimalDecoder(encoder),
    encoder,
    iterations,
    risk: iterations.map(() => risk),
    decoderSolve: 'javascript (theory/): the no-op control never steps',
  };
}

/** Tied SGD that never steps: returns B₀ (and records it, if asked, at every `recordEvery`). */
export function noOpTiedSgd(options: TiedSgdOptions): Matrix {
  const b = matrix(options.encoder.rows, options.encoder.cols, Float64Array.from(options.encoder.data));
  const every = options.recordEvery;
  if (options.onRecord && every !== undefined) {
    for (let t = every; t <= options.steps; t += every) options.onRecord(t, b);
  }
  return b;
}

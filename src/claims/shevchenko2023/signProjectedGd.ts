/**
 * Projected GD whose steps take the sign of each gradient coordinate (sign GD; the first step of Adam), scaled so a
 * step is as long as the plain one: a real descent method that is not rotation-equivariant, because sign() acts on
 * each coordinate. The negative control of shevchenko2023.gd-equivariance's `equivariance` check: GD from (UA₀, B₀Uᵀ)
 * must then differ from (UA_t, B_tUᵀ) by far more than round-off.
 */
import { matrix } from '../../core/matrix.ts';
import {
  DEFAULT_PGD_LEARNING_RATE,
  type ProjectedGdOptions,
  type ProjectedGdResult,
  pgdGradientsT,
  pgdWorkspace,
  stepOnSphere,
} from '../../sim/shevchenko2023/projectedGd.ts';
import { normalizeRows } from '../../theory/shevchenko2023/signRisk.ts';

/** g ← ‖g‖/√len · sign(g), in place (the same length as g, every coordinate of the same size). */
function signStep(g: Float64Array): void {
  let s = 0;
  for (const v of g) s += v * v;
  const size = Math.sqrt(s / g.length);
  for (let i = 0; i < g.length; i++) g[i] = size * Math.sign(g[i]);
}

/** Sign GD on (A, B̂), rows of B renormalised after each step; records the risk as {@link projectedGd} does. */
export function signProjectedGd(options: ProjectedGdOptions): ProjectedGdResult {
  const eta = options.learningRate ?? DEFAULT_PGD_LEARNING_RATE;
  const n = options.encoder.rows;
  const d = options.encoder.cols;
  const aT = new Float64Array(n * d);
  for (let r = 0; r < d; r++) for (let c = 0; c < n; c++) aT[c * d + r] = options.decoder.data[r * n + c];
  const b = Float64Array.from(normalizeRows(options.encoder).data);
  const ws = pgdWorkspace(n, d);
  const record = new Set(options.record ?? [0, options.iterations]);
  const iterations: number[] = [];
  const risk: number[] = [];
  for (let t = 0; t <= options.iterations; t++) {
    const { loss, gradAT, gradB } = pgdGradientsT(aT, b, d, n, options.kernels, ws);
    if (record.has(t)) {
      iterations.push(t);
      risk.push(loss / d);
    }
    if (t === options.iterations) break;
    signStep(gradAT);
    signStep(gradB);
    for (let i = 0; i < aT.length; i++) aT[i] -= eta * gradAT[i];
    stepOnSphere(b, gradB, eta, n, d);
  }
  const a = new Float64Array(d * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) a[c * n + r] = aT[r * d + c];
  return { decoder: matrix(d, n, a), encoder: matrix(n, d, b), iterations, risk };
}

import { baselines, symmetricOptimum } from '../../theory/persianrug2024/symmetricLoss.ts';
import { defineClaim } from '../claim.ts';

/** The minimisation is accurate to ~1e-15 relative; inequalities are checked with this slack relative to p/3. */
const SLACK = 1e-10;

/** §4.4 general inequalities: L* ≤ linear ≤ constant ≤ zero, L*(1, p) = 0, and L* decreasing in r. */
export const optimumOrdering = defineClaim({
  id: 'persianrug2024.optimum-ordering',
  paper: 'persianrug2024',
  title: 'L*(r, p) lies below the linear, constant and zero baselines and decreases in r',
  statement:
    'The symmetric optimum L*(r, p) ≤ (1 − r)(p/3 − p²/4) (the optimal linear model with bias) ≤ p/3 − p²/4 (best constant) ≤ p/3 (zero output); L*(1, p) = 0; and L*(r₁, p) ≥ L*(r₂, p) for r₁ < r₂.',
  source: {
    paper: 'persianrug2024',
    where: "§4.4 general inequalities; §9 (the authors' own linear baseline is wrong; this is the exact one)",
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain: {
    r: { kind: 'float', min: 0.01, max: 0.99, doc: 'compression ratio r = m/n' },
    dr: { kind: 'float', min: 0.001, max: 0.5, doc: 'the second ratio is min(r + dr, 1)' },
    p: { kind: 'float', min: 1e-5, max: 1, log: true, doc: 'feature probability p' },
  },
  defaults: { r: 0.5, dr: 0.1, p: 0.1 },
  tolerance: { description: `every inequality with slack ${SLACK}·p/3`, reason: 'round-off of the minimisation' },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 400, sizes: {} } },
  measure(params) {
    const { r, dr, p } = params;
    const r2 = Math.min(r + dr, 1);
    const l1 = symmetricOptimum(r, p).loss;
    const l2 = symmetricOptimum(r2, p).loss;
    const full = symmetricOptimum(1, p).loss;
    const b = baselines(r, p);
    const slack = (SLACK * p) / 3;
    const violations = [l1 - b.linear, b.linear - b.constant, b.constant - b.zero, l2 - l1, Math.abs(full)].map(
      (v) => Math.max(0, v) / slack,
    );
    const worst = Math.max(...violations);
    return {
      predicted: b.linear,
      observed: l1,
      error: worst > 1 ? worst : 0,
      allowed: 1,
      metric: 'largest normalised violation (0 = all hold)',
      details: {
        optimum: l1,
        optimumAtLargerR: l2,
        linear: b.linear,
        constant: b.constant,
        zero: b.zero,
        ratioLinearToOptimum: b.linear / l1,
      },
    };
  },
});

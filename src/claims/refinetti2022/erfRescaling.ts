import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { pcaError, pcaErrors } from '../../theory/refinetti2022/pcaError.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';
import { errorPlot } from './errorPlot.ts';
import { logTimes } from './logTimes.ts';

/**
 * Predicted exponent of ε − ε_PCA(K) ∝ t^p. [DERIVED here] Once the K units have aligned with the top K directions, an
 * erf unit reaches the PCA error only in its linear regime: along the valley of minimal ε, T0 ≈ 1/(φ² Q)·const and the
 * excess is c·Q² (erf's cubic term). Gradient flow along the valley has mobility ∝ a⁴ in the encoder amplitude a
 * (Q = κa²), so da/dt ∝ −a⁷, a ∝ t^{−1/6}, Q ∝ t^{−1/3}, T0 ∝ t^{1/3} and ε − ε_PCA(K) ∝ t^{−2/3}.
 */
const PREDICTED_EXPONENT = -2 / 3;
/**
 * Allowed |fitted − predicted|. The valley expansion has relative corrections O(Q), and Q ≈ 0.03–0.05 over the fit
 * window, so the local slope sits 0.01–0.03 below −2/3 (measured −0.687 on [10⁴, 10⁵] and −0.673 on [10⁵, 10⁶] for
 * K = 2): 0.06.
 */
const ALLOWED = 0.06;
/** Integration tolerance (the excess is 1e-5..1e-4 of ε, so the per-step tolerance must be far below). */
const TOLERANCE = 1e-10;
/** The fit uses the outputs in [FIT_START·t_end, t_end]. */
const FIT_START = 0.2;

/** Least-squares slope of y on x. */
function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

const domain = {
  spikes: { kind: 'int', min: 1, max: 3, doc: 'number of spikes M (= K)' },
  topSpike: { kind: 'float', min: 0.3, max: 0.8, doc: 'κ_1' },
  ratio: { kind: 'float', min: 2, max: 4, doc: 'κ_m/κ_{m+1}' },
  seed: { kind: 'seed', doc: 'seed of the initial weights' },
} as const;
type Sizes = { dim: number; horizon: number };

/** The prediction under test: the exponent of ε − ε_PCA(K) ∝ t^p. */
interface RescalingDeps {
  predictedExponent: number;
}

function measureWith(deps: RescalingDeps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const D = ctx.sizes.dim;
    const M = params.spikes;
    const K = M;
    const eta = 0.4;
    const kappas = Array.from({ length: M }, (_, m) => params.topSpike / params.ratio ** m);
    const spectrum = { dim: D, values: Float64Array.from(kappas, (k) => k * D) };
    const rng = ctx.rng.fork(params.seed);
    const a = new Float64Array(K * M);
    const b = new Float64Array(K * M);
    rng.fillNormal(a, 0, a.length, 0.1);
    rng.fillNormal(b, 0, b.length, 0.1 / Math.sqrt(D));
    // The rescaling of unit m runs on times ∝ 1/κ_m: the horizon is given in units of 1/κ_M.
    const tEnd = ctx.sizes.horizon / kappas[M - 1];
    const times = logTimes(1, tEnd, 41);
    const r = integrateOde({
      spectrum,
      activation: 'erf',
      rule: 'vanilla',
      learningRate: eta,
      initial: { hidden: K, directions: M, a, b },
      times,
      tolerance: TOLERANCE,
      // Long horizons (t up to 3·10⁴/κ_M at paper scale) are the stiff regime: Dormand–Prince until its step is limited
      // by stability, then RODAS4 (docs/refinetti2022-theory.md, "Long runs").
      method: 'auto',
      progress: ctx.progress,
    });
    const floor = pcaError({ spectrum, components: K });
    const lx: number[] = [];
    const ly: number[] = [];
    const lq: number[] = [];
    for (let i = 0; i < r.times.length; i++) {
      if (r.times[i] >= FIT_START * tEnd) {
        lx.push(Math.log(r.times[i]));
        ly.push(Math.log(r.error[i] - floor));
        lq.push(Math.log(r.orderParameters[i].Q[0]));
      }
    }
    const exponent = slope(lx, ly);
    const qExponent = slope(lx, lq);
    const excess = r.error.map((e) => e - floor);
    return {
      checks: [
        closeTo('exponent', exponent, deps.predictedExponent, {
          atol: ALLOWED,
          metric: '|fitted exponent of ε − ε_PCA(K) − predicted|',
        }),
      ],
      details: {
        qExponent,
        excessAtEnd: excess[excess.length - 1],
        excessAtFitStart: Math.exp(ly[0]),
        T0AtEnd: r.orderParameters[r.orderParameters.length - 1].T0[0],
        steps: r.stats.steps,
      },
      plots: [
        errorPlot(
          'epsilon',
          `ε(t), erf, K = M = ${M} (spike subspace)`,
          [{ name: 'ODE', ...r }],
          pcaErrors(spectrum, M),
        ),
        {
          kind: 'line',
          id: 'excess',
          title: 'ε − ε_PCA(K) against t^{−2/3}',
          x: { label: 't', log: true },
          y: { label: 'ε − ε_PCA(K)', log: true },
          series: [
            { name: 'ODE', x: r.times.slice(1), y: excess.slice(1) },
            {
              name: 't^{−2/3} through the end point',
              x: [r.times[1], tEnd],
              y: [excess[excess.length - 1] * (r.times[1] / tEnd) ** PREDICTED_EXPONENT, excess[excess.length - 1]],
              style: 'dashed',
            },
          ],
        },
      ],
    };
  };
}

/**
 * Sigmoidal autoencoders approach the PCA error only by a slow power-law rescaling (docs/theory-refinetti2022.md
 * (E17)).
 */
export const erfRescaling = defineClaim({
  id: 'refinetti2022.erf-rescaling',
  paper: 'refinetti2022',
  title: 'Erf rescaling phase: ε − ε_PCA(K) decays as a power of t (exponent −2/3 in the spike subspace)',
  statement:
    'After the alignment phase an erf autoencoder with K = M reaches ε_PCA(K) only asymptotically, by shrinking Q^{kk} and growing T0^{kk}; with the weights in the spike subspace, ε − ε_PCA(K) decays like t^{−2/3} (Q ∝ t^{−1/3}). Regime: the full D = 500 problem with a bulk was once read as an exponent near −1; there the bulk relaxes on t ~ D/(η ρ_bulk) in the same window, and we measured local slopes −0.35, −0.79, −1.27, −0.76 between t = 1374, 3000, 9237, 3·10⁴, 10⁵ (mean −0.84), so the clean power law is stated for the spike subspace.',
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md (E16) rescaling phase, (E17)',
    confidence: 'DERIVED',
    note: 'the earlier reading “≈ t^{−1}” of the full-D runs mixes the rescaling with the bulk relaxation; exponent −2/3 derived and measured here',
  },
  kind: 'numerical',
  domain,
  defaults: { spikes: 2, topSpike: 0.685, ratio: 2.41, seed: 3 },
  tolerance: {
    description: `|exponent − (−2/3)| ≤ ${ALLOWED}`,
    reason: 'O(Q) corrections to the valley expansion at the fit window’s Q ≈ 0.03–0.05',
  },
  budget: {
    quick: { runs: 5, sizes: { dim: 500, horizon: 1e4 } },
    paper: { runs: 6, sizes: { dim: 500, horizon: 3e4 } },
  },
  measure: measureWith({ predictedExponent: PREDICTED_EXPONENT }),
  controls: [
    {
      name: 'bulk-mixed-exponent',
      description:
        'the exponent −1 read off the full D = 500 problem, where the rescaling is mixed with the bulk relaxation, as the prediction: 1/3 away, 5× the tolerance',
      measure: measureWith({ predictedExponent: -1 }),
      catches: ['exponent'],
    },
  ],
});

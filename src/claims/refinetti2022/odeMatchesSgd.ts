import { onlineSgd } from '../../sim/refinetti2022/onlineSgd.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';
import { odeFromWeights, REFERENCE_LEARNING_RATE, spikedSetup } from './simSetup.ts';
import { errorPlot } from './errorPlot.ts';

/**
 * Finite-size constant: max_t |ε_SGD − ε_ODE| ≤ C/√D. Measured here (K = M = 2, η = 0.4, t ≤ 40-50):
 * erf, 12 runs at D = 100, 400, 1000: √D·max-deviation between 0.08 and 0.24; linear, 4 seeds × 3 runs at D = 100 and
 * 400: 0.30-0.52 at D = 100, 0.10-0.18 at D = 400 (linear learns faster, its steep drop has larger timing noise, and
 * at D = 100 the next 1/D term still shows). The deviation is dominated by SGD noise in the timing of the steep drop
 * (the escape from the plateau) and has a long tail: the mean over 3 runs let one late escape decide (a seed gave
 * √D·dev = 0.51 for erf). The statistic is therefore the median over 5 runs per D; over 100 random parameter draws
 * (seed 2) its largest √D·dev was 0.23 for erf (median 0.14) and 0.45 for linear (median 0.19–0.23), so C is about
 * twice the largest value seen.
 */
const FINITE_SIZE_CONSTANT = { erf: 0.5, linear: 1.0 } as const;
/**
 * The regime: η ≤ D₁/4. The map of docs/regimes.md ("Refinetti and Shevchenko maps": erf, D₁ ∈ [10, 400], η ∈ [0.1, 100],
 * 200 evaluations, cells of 1/16 of each log axis) finds the C/√D law holding wherever η ≤ 0.25·D₁, and failing
 * (SGD's deviation grows, then SGD diverges) from η ≈ 0.4–0.75·D₁ up: at D₁ = 10 from η ≈ 7.5, at D₁ = 100 from
 * η ≈ 45, at D₁ = 400 not below η = 100. Below η ≈ 0.1·D₁ no point failed at any D₁ ≥ 10.
 */
const STABLE_RATE_PER_DIM = 4;
/** At t = 0 both are computed from the same weights: equal up to round-off in the projections. */
const T0_TOLERANCE = 1e-9;

const domain = {
  activation: { kind: 'choice', values: ['erf', 'linear'] as const, doc: 'activation g' },
  dim: {
    kind: 'int',
    min: 10,
    max: 400,
    log: true,
    doc: 'the smaller input dimension D₁; the second is D₂ = dimRatio·D₁ (sizes: 4 quick, 10 paper)',
  },
  learningRate: { kind: 'float', min: 0.1, max: 100, log: true, doc: 'learning rate η of SGD and of the ODE' },
  seed: { kind: 'seed', doc: 'seed of the data, weights and samples' },
} as const;
type Sizes = { dimRatio: number; hidden: number; runsPerDim: number; tMax: number; points: number };

/** The ODE's activation for the SGD's (the same for the claim). */
interface TrackDeps {
  odeActivation: (activation: 'erf' | 'linear') => 'erf' | 'linear';
}

function measureWith(deps: TrackDeps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { dimRatio, hidden, runsPerDim, tMax, points } = ctx.sizes;
    const dims = [params.dim, params.dim * dimRatio];
    const times = Array.from({ length: points }, (_, i) => (i * tMax) / (points - 1));
    const eta = params.learningRate;
    const scaled: number[] = [];
    const medianDev: number[] = [];
    let t0Gap = 0;
    const plots = [];
    for (const D of dims) {
      const devs: number[] = [];
      for (let run = 0; run < runsPerDim; run++) {
        const rng = ctx.rng.fork(`${params.seed}:${D}:${run}`);
        const setup = spikedSetup({ dim: D, spikes: hidden, hidden, rng });
        const sgd = onlineSgd({
          kernels: ctx.kernels,
          source: setup.source,
          activation: params.activation,
          learningRate: eta,
          initial: setup.weights,
          times,
          rng: rng.fork('sgd'),
        });
        const ode = odeFromWeights({
          ...setup,
          activation: deps.odeActivation(params.activation),
          learningRate: eta,
          times,
        });
        let dev = 0;
        for (let i = 0; i < times.length; i++) dev = Math.max(dev, Math.abs(sgd.error[i] - ode.error[i]));
        t0Gap = Math.max(t0Gap, Math.abs(sgd.error[0] - ode.error[0]));
        devs.push(dev);
        if (run === 0) {
          plots.push(
            errorPlot(
              `eps-D${D}`,
              `ε(t), ${params.activation}, K = M = ${hidden}, D = ${D}: ODE vs SGD from the same weights`,
              [
                { name: 'ODE', times: ode.times, error: ode.error },
                { name: `SGD (D = ${D})`, times: sgd.times, error: sgd.error, style: 'points' },
              ],
              setup.pca,
            ),
          );
        }
      }
      // The median over runs: one run whose plateau escape is late (a heavy tail, see the note above) must not
      // decide the verdict, which the mean let it do.
      devs.sort((x, y) => x - y);
      const mid = devs.length >> 1;
      const median = devs.length % 2 ? devs[mid] : 0.5 * (devs[mid - 1] + devs[mid]);
      medianDev.push(median);
      scaled.push(median * Math.sqrt(D));
    }
    const C = FINITE_SIZE_CONSTANT[params.activation];
    const exponent = Math.log(medianDev[1] / medianDev[0]) / Math.log(dims[1] / dims[0]);
    return {
      checks: [
        ...dims.map((D, j) =>
          closeTo(`sgd-vs-ode-D${D}`, medianDev[j], 0, {
            atol: C / Math.sqrt(D),
            metric: 'median over runs of max_t |ε_SGD − ε_ODE| vs C/√D',
          }),
        ),
        closeTo('same-start', t0Gap, 0, { atol: T0_TOLERANCE, metric: 'max over runs of |ε_SGD(0) − ε_ODE(0)|' }),
      ],
      details: {
        dims: [...dims],
        medianMaxDeviation: medianDev,
        sqrtDTimesDeviation: scaled,
        fittedExponent: exponent,
        constantAllowed: C,
        t0Gap,
      },
      plots,
    };
  };
}

/**
 * docs/theory-refinetti2022.md (E10)–(E12): the ODE from the SGD's own initial weights tracks SGD, with an O(1/√D)
 * deviation.
 */
export const odeMatchesSgd = defineClaim({
  id: 'refinetti2022.ode-matches-sgd',
  paper: 'refinetti2022',
  title: 'ε(t) of the ODE matches online SGD from the same initial weights, with an O(1/√D) deviation',
  statement:
    'For the standardised random spiked model (M spikes), an untied K-unit autoencoder trained by vanilla online SGD (learning rate η, default 0.4; init 0.1) has ε(t) equal to the vector-form ODE integrated from the projections of the same initial weights, at two input dimensions D₁ and D₂ = 4D₁ (10D₁ at paper scale): the median over runs of max_t |ε_SGD − ε_ODE| is ≤ C/√D at both, with C = 0.5 for erf and 1.0 for linear (empirical), and equal at t = 0. Regime: η ≤ D₁/4, located by the (D, η) map in docs/regimes.md (erf): from η ≈ 0.4–0.75·D₁ up the deviation outgrows C/√D and SGD then diverges.',
  source: {
    paper: 'refinetti2022',
    where: 'abstract claim 1; docs/theory-refinetti2022.md (E10)–(E12) [NUM]',
    confidence: 'NUM',
  },
  kind: 'statistical',
  domain,
  regime: {
    description: `η ≤ D₁/${STABLE_RATE_PER_DIM} (located by the (D, η) map in docs/regimes.md: the law fails from η ≈ 0.4–0.75·D₁ up)`,
    holds: (p) => p.learningRate <= p.dim / STABLE_RATE_PER_DIM,
  },
  defaults: { activation: 'erf', dim: 100, learningRate: REFERENCE_LEARNING_RATE, seed: 7 },
  tolerance: {
    description: `median_runs max_t |ε_SGD − ε_ODE| ≤ C/√D at each D (C = ${FINITE_SIZE_CONSTANT.erf} erf, ${FINITE_SIZE_CONSTANT.linear} linear); |Δε(0)| ≤ ${T0_TOLERANCE}`,
    reason:
      'finite-D SGD fluctuations are O(1/√D) (the ODE is the D → ∞ limit, docs/theory-refinetti2022.md (E10)); the median over 5 runs of √D·deviation measured at most 0.23 for erf and 0.45 for linear over 100 parameter draws; C ≈ 2× the largest',
  },
  budget: {
    quick: { runs: 2, sizes: { dimRatio: 4, hidden: 2, runsPerDim: 5, tMax: 40, points: 17 } },
    paper: { runs: 2, sizes: { dimRatio: 10, hidden: 2, runsPerDim: 5, tMax: 60, points: 25 } },
  },
  measure: measureWith({ odeActivation: (g) => g }),
  controls: [
    {
      name: 'ode-linear-for-erf',
      description:
        'the ODE of a linear network against SGD of an erf network from the same weights (a wrong activation)',
      measure: measureWith({ odeActivation: () => 'linear' }),
      params: { activation: 'erf' },
      catches: ['sgd-vs-ode-D100', 'sgd-vs-ode-D400'],
    },
  ],
});

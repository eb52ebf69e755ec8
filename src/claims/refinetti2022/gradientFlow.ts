import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { type OdeState, randomOdeState } from '../../theory/refinetti2022/odeState.ts';
import { kappaOf, orderParametersFromState } from '../../theory/refinetti2022/orderParameters.ts';
import { pcaErrors } from '../../theory/refinetti2022/pcaError.ts';
import { testError } from '../../theory/refinetti2022/testError.ts';
import { createVectorField, type OdeRule } from '../../theory/refinetti2022/vectorField.ts';
import { atMost, relativeTo } from '../support/checks.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { errorPlot } from './errorPlot.ts';
import { logTimes } from './logTimes.ts';
import { odeActivationOf, THEORY_ACTIVATIONS } from './theoryClaimSupport.ts';

/** Per-step tolerance of the integration (atol = rtol). */
const TOLERANCE = 1e-10;
/**
 * Allowed rise of ε between consecutive output times, relative to ε(0). For the closed-form activations the vanilla ODE
 * is an exact gradient flow (dε/dt = −η‖∇ε‖² ≤ 0), so only the integrator's global error (≈ 1e3·TOLERANCE over
 * these horizons) can produce a rise: 1e-7. For the custom activation (tanh by 40-point Gauss–Hermite) the integrals
 * are approximations whose Stein identities hold to the quadrature error (≈ 1e-8 relative at these variances), so the
 * flow is a gradient flow up to that error: 1e-6.
 */
const RISE_CLOSED_FORM = 1e-7;
const RISE_QUADRATURE = 1e-6;
/**
 * Allowed error of the dissipation rate dε/dt = ∇ε·f = −‖f‖²/η at the trajectory's states, relative to the largest
 * rate on the run. dε/dt is a central difference of the test-error formula along the drift f (step 1e-5 relative):
 * O(h²) ≈ 1e-10 plus round-off EPS64·ε/h ≈ 1e-11 (measured ≤ 1e-9). Closed forms: 1e-6. Custom tanh: the drift is the
 * gradient of the quadrature ε only to the rule's Stein error, which grows with Q^{kk} as training proceeds. With the
 * 24-point rule the claim used before, that error reached the allowance itself: a paper-scale run (seed 3321150588,
 * K = 1, η = 1.10, s = 0.3) FAILED at 2.8× 1e-4, and 18 draws over K ∈ {1, 2}, η ∈ [0.3, 2] measured 0.26–1.69× it.
 * With 40 points (CLAIM_CUSTOM_POINTS, the library's default) the same 18 draws measured 0.000–0.043× (32 points:
 * up to 0.24×): the measurement was made finer, and the allowance stays 1e-4.
 */
const RATE_CLOSED_FORM = 1e-6;
const RATE_QUADRATURE = 1e-4;
/**
 * Allowed relative error of the energy balance ε(0) − ε(T) = (1/η)∫₀^T ‖f‖² dt (Simpson on each output interval with
 * its midpoint; the intervals grow by 5% each, so Simpson’s h⁴ term is ≈ 1e-6 relative (see OUTPUTS)) against the integrator's
 * global error ≈ 1e3·TOLERANCE/drop: 1e-5 (custom tanh: see OUTPUTS_QUADRATURE).
 */
const BALANCE_ALLOWED = 1e-5;
/**
 * Largest initial weight std used for the custom tanh. Its Gauss–Hermite integrals lose accuracy as Q^{kk} grows (3% in
 * φ at Q = 5 with 24 points, 0.1% with 60), and then the quadrature ODE is no longer a gradient flow of the quadrature
 * ε: a paper-scale run from s = 1 (D = 100, 24 points) rose by 2.9% of ε(0) at t = 2000. Below s = 0.3, Q stays in the
 * accurate range.
 */
const TANH_MAX_SCALE = 0.3;
/**
 * Output times per run; each interval also gets its midpoint for Simpson’s rule. Simpson’s error falls 16× per
 * doubling (measured: 1.6e-4, 1.1e-5, 7e-7 relative at 60, 120, 240 outputs for linear g, η = 0.05): 200 outputs keep it
 * ≈ 1e-6, below the 1e-5 allowed.
 */
const OUTPUTS = 200;
/**
 * Grid points for the custom tanh, whose every ε is a quadrature (≈ 0.25 s at K = 3). With 30 points (61 outputs with
 * the midpoints) the intervals grew by 41% each and Simpson's error reached 2.1e-3 relative (CI seed 20261122: K = 1,
 * η = 0.05, s = 0.05 — a slow run whose ‖f‖² varies over the wide late intervals), above the 2e-3 allowed; four earlier
 * draws had given 5e-6 … 3.4e-4. The allowance stays; the measurement is made finer: 60 points (121 outputs), where
 * Simpson's error falls ≈ 16× (that draw: 2.1e-3 → 9.0e-5), at about twice the time of a tanh draw. Its dissipation rate,
 * pointwise, keeps RATE_QUADRATURE.
 */
const OUTPUTS_QUADRATURE = 60;
const BALANCE_ALLOWED_COARSE = 2e-3;
/**
 * The dissipation rate is checked at every output for the closed forms, at every 8th and the last (9 points along the run)
 * for the custom tanh, where the rate needs two quadrature ε per point.
 */
const RATE_STRIDE_QUADRATURE = 8;
/** Step of the directional difference along the drift, relative to max(1, ‖y‖∞). */
const DIRECTIONAL_STEP = 1e-5;
/** Relative drift perturbation of the `perturbed-drift` control: 1e-3 is 100× the largest tolerance above. */
const DRIFT_PERTURBATION = 1e-3;

const domain = {
  activation: { kind: 'choice', values: THEORY_ACTIVATIONS, doc: 'activation g' },
  hidden: { kind: 'int', min: 1, max: 4, doc: 'hidden units K' },
  learningRate: { kind: 'float', min: 0.05, max: 2, doc: 'η', log: true },
  initialScale: { kind: 'float', min: 0.05, max: 1, doc: 'std of the initial weights', log: true },
  seed: { kind: 'seed', doc: 'seed of the spectrum and the initial state' },
} as const;
type Sizes = { dim: number; horizon: number };

/** What the measurement integrates: the rule and the factor on η inside the ODE (1 for the claim). */
interface FlowDeps {
  rule: OdeRule;
  rateFactor: number;
}

function measureWith(deps: FlowDeps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const D = ctx.sizes.dim;
    const K = params.hidden;
    const eta = params.learningRate;
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(D);
    for (let i = 0; i < D; i++) values[i] = i < 3 ? (0.1 + rng.uniform()) * D * 0.5 : 0.5 + rng.uniform();
    values.sort().reverse();
    const spectrum = { dim: D, values };
    const usedScale =
      params.activation === 'tanh' ? Math.min(params.initialScale, TANH_MAX_SCALE) : params.initialScale;
    const initial = randomOdeState({
      hidden: K,
      inputDim: D,
      directions: D,
      initialScale: usedScale,
      rng: rng.fork('state'),
    });
    const activation = resolveActivation(odeActivationOf(params.activation));
    // Output times with every interval's midpoint (even indices: the log grid; odd: midpoints, for Simpson).
    const quadrature = params.activation === 'tanh';
    const grid = logTimes(0.01, ctx.sizes.horizon, quadrature ? OUTPUTS_QUADRATURE : OUTPUTS);
    const times: number[] = [0];
    for (let i = 1; i < grid.length; i++) times.push(0.5 * (grid[i - 1] + grid[i]), grid[i]);
    const r = integrateOde({
      spectrum,
      activation: odeActivationOf(params.activation),
      rule: deps.rule,
      learningRate: eta * deps.rateFactor,
      initial,
      times,
      tolerance: TOLERANCE,
      progress: ctx.progress,
    });
    // The drift the integrator followed, and ε from the test-error formula alone.
    const field = createVectorField({
      hidden: K,
      directions: D,
      kappa: kappaOf(spectrum),
      activation,
      rule: deps.rule,
      learningRate: eta * deps.rateFactor,
    });
    const trace = values.reduce((s, v) => s + v, 0) / D;
    const epsilonAt = (y: Float64Array) =>
      testError({
        ...orderParametersFromState(
          { hidden: K, directions: D, a: y.subarray(0, K * D), b: y.subarray(K * D) },
          spectrum,
        ),
        traceOmegaOverD: trace,
        activation,
      });
    const y = new Float64Array(field.size);
    const f = new Float64Array(field.size);
    const probe = new Float64Array(field.size);
    const observedRate: number[] = [];
    const predictedRate: number[] = [];
    const rateAt: number[] = [];
    const power: number[] = [];
    const stride = quadrature ? RATE_STRIDE_QUADRATURE : 1;
    r.states.forEach((s: OdeState, index) => {
      y.set(s.a, 0);
      y.set(s.b, K * D);
      field.evaluate(y, f);
      let f2 = 0;
      let yMax = 0;
      for (let i = 0; i < y.length; i++) {
        f2 += f[i] * f[i];
        yMax = Math.max(yMax, Math.abs(y[i]));
      }
      power.push(f2 / eta);
      if (index % stride !== 0 && index !== r.states.length - 1) return;
      const fNorm = Math.sqrt(f2);
      // ∇ε·f by a central difference of ε along f (step h in state space).
      const h = (DIRECTIONAL_STEP * Math.max(1, yMax)) / Math.max(fNorm, 1e-300);
      for (let i = 0; i < y.length; i++) probe[i] = y[i] + h * f[i];
      const up = epsilonAt(probe);
      for (let i = 0; i < y.length; i++) probe[i] = y[i] - h * f[i];
      const down = epsilonAt(probe);
      observedRate.push((up - down) / (2 * h));
      predictedRate.push(-f2 / eta);
      rateAt.push(r.times[index]);
    });
    // Dissipation rate: the worst point, relative to the run's largest rate.
    const scale = Math.max(...predictedRate.map(Math.abs));
    let worstRate = 0;
    for (let i = 1; i < observedRate.length; i++) {
      if (Math.abs(observedRate[i] - predictedRate[i]) > Math.abs(observedRate[worstRate] - predictedRate[worstRate])) {
        worstRate = i;
      }
    }
    // Energy balance: ε(0) − ε(T) against (1/η)∫‖f‖² by Simpson on each interval [times[2j], times[2j+2]].
    let dissipated = 0;
    for (let j = 0; j + 2 < times.length; j += 2) {
      dissipated += ((times[j + 2] - times[j]) / 6) * (power[j] + 4 * power[j + 1] + power[j + 2]);
    }
    const drop = r.error[0] - r.error[r.error.length - 1];
    // Non-increasing: the largest rise between outputs.
    let rise = Number.NEGATIVE_INFINITY;
    let at = 0;
    for (let i = 1; i < r.error.length; i++) {
      const d = r.error[i] - r.error[i - 1];
      if (d > rise) {
        rise = d;
        at = r.times[i];
      }
    }
    return {
      checks: [
        {
          name: 'dissipation-rate',
          observed: observedRate[worstRate],
          expected: predictedRate[worstRate],
          error: Math.abs(observedRate[worstRate] - predictedRate[worstRate]) / scale,
          allowed: quadrature ? RATE_QUADRATURE : RATE_CLOSED_FORM,
          metric: '|dε/dt + ‖f‖²/η| / max_t ‖f‖²/η (worst output)',
        },
        relativeTo('energy-balance', drop, dissipated, quadrature ? BALANCE_ALLOWED_COARSE : BALANCE_ALLOWED),
        atMost('non-increasing', rise / r.error[0], 0, quadrature ? RISE_QUADRATURE : RISE_CLOSED_FORM),
      ],
      details: {
        epsilon0: r.error[0],
        epsilonEnd: r.error[r.error.length - 1],
        dissipated,
        worstRateAt: rateAt[worstRate],
        largestRiseAt: at,
        steps: r.stats.steps,
      },
      plots: [
        errorPlot(
          'epsilon',
          `ε(t), ${params.activation}, K = ${K}`,
          [{ name: 'ODE', times: r.times, error: r.error }],
          pcaErrors(spectrum, Math.min(K, 3)),
        ),
      ],
    };
  };
}

/**
 * Vanilla ODE dynamics are the population gradient flow dy/dt = −η∇ε in the projections y = (a, b)
 * (docs/theory-refinetti2022.md (E13)), so along the trajectory ε falls at the rate dε/dt = −‖dy/dt‖²/η.
 */
export const gradientFlow = defineClaim({
  id: 'refinetti2022.ode-gradient-flow',
  paper: 'refinetti2022',
  title: 'Vanilla ODE dynamics are a gradient flow: dε/dt = −‖f‖²/η along the trajectory, so ε never rises',
  statement:
    'For vanilla SGD the ODEs are the population gradient flow dw/dt = −η∇_w ε, dv/dt = −ηD∇_v ε; in the projections y = (a, b) the drift is f = −η∇ε. Along the integrated trajectory, from random initial states on random spiked spectra, for linear, erf, ReLU and a custom tanh through quadrature: (1) the rate at which the test-error formula falls along the drift, dε/dt = ∇ε·f, equals −‖f‖²/η at every output (for the custom tanh at 9 outputs along the run, each a quadrature); (2) the energy balance ε(0) − ε(T) = (1/η)∫₀^T ‖f‖² dt holds; (3) so ε(t) is non-increasing. Regime for the custom tanh: initial weight std ≤ 0.3, where its 24-point quadrature stays accurate (larger draws are capped).',
  source: { paper: 'refinetti2022', where: 'docs/theory-refinetti2022.md (E13)', confidence: 'DERIVED' },
  kind: 'numerical',
  domain,
  defaults: { activation: 'erf', hidden: 2, learningRate: 0.4, initialScale: 0.3, seed: 3 },
  tolerance: {
    description: `dissipation rate ≤ ${RATE_CLOSED_FORM} of the largest rate (custom g: ${RATE_QUADRATURE}); energy balance ≤ ${BALANCE_ALLOWED} relative (custom g: ${BALANCE_ALLOWED_COARSE}); rise/ε(0) ≤ ${RISE_CLOSED_FORM} (custom g: ${RISE_QUADRATURE})`,
    reason:
      'central differences along the drift O(h²), Simpson and the integrator’s global error; for the custom g the quadrature’s Stein error',
  },
  budget: {
    quick: { runs: 12, cpuSeconds: 2, sizes: { dim: 12, horizon: 200 } },
    paper: { runs: 20, cpuSeconds: 4, sizes: { dim: 100, horizon: 2000 } },
  },
  measure: measureWith({ rule: 'vanilla', rateFactor: 1 }),
  controls: [
    {
      name: 'truncated-rule',
      description:
        'the truncated ODE (unit k sees units 1..k, docs/theory-refinetti2022.md (E14)), which is not a gradient flow: ε falls at a rate other than ‖f‖²/η',
      measure: measureWith({ rule: 'truncated', rateFactor: 1 }),
      params: { hidden: 3 },
      catches: ['dissipation-rate', 'energy-balance'],
    },
    {
      name: 'perturbed-drift',
      description: `the ODE integrated with its drift ×(1 + ${DRIFT_PERTURBATION}) (a wrong factor of η), judged against η`,
      measure: measureWith({ rule: 'vanilla', rateFactor: 1 + DRIFT_PERTURBATION }),
      catches: ['dissipation-rate', 'energy-balance'],
    },
  ],
});

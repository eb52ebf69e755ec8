import type { Spectrum } from '../../core/spectrum.ts';
import { type IntegrateOdeOptions, integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import { type OdeState, randomOdeState } from '../../theory/refinetti2022/odeState.ts';
import { kappaOf } from '../../theory/refinetti2022/orderParameters.ts';
import { createVectorField } from '../../theory/refinetti2022/vectorField.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { atMost, closeTo } from '../support/checks.ts';

/** Classical RK4 has global order 4: halving the step divides the error by 2⁴. */
const PREDICTED_ORDER = 4;
/**
 * Allowed |observed − 4|. The observed order log₂(e(h)/e(h/2)) differs from 4 by the next term of the error expansion,
 * O(h) relative (h/2 = 0.02–0.075 with rates η κ ≲ 2; the differences stay ≥ 1e-13, above round-off): 0.3.
 */
const ALLOWED = 0.3;
/** Tolerance of the adaptive run under test, and its allowed max-norm distance to the reference (global error ≈ 1e2 × tolerance). */
const ADAPTIVE_TOLERANCE = 1e-8;
const ADAPTIVE_ALLOWED = 1e-6;
/** Reference for the adaptive check: Dormand–Prince at this tolerance. */
const REFERENCE_TOLERANCE = 1e-13;

const domain = {
  activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
  rule: { kind: 'choice', values: ['vanilla', 'truncated'] as const, doc: 'SGD rule' },
  hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
  step: { kind: 'float', min: 0.04, max: 0.15, doc: 'the coarsest RK4 step h (also h/2, h/4)' },
  seed: { kind: 'seed', doc: 'seed of the spectrum and the initial state' },
} as const;
type Sizes = { dim: number; horizon: number };
type Common = Omit<IntegrateOdeOptions, 'method' | 'step' | 'tolerance'>;

/** The integrators under test: a fixed-step run at step h, and the adaptive run's tolerance. */
interface IntegratorDeps {
  fixedStep: (common: Common, h: number) => OdeState;
  adaptiveTolerance: number;
}

/** The library's RK4. */
function rk4(common: Common, h: number): OdeState {
  return integrateOde({ ...common, method: 'rk4', step: h }).states[0];
}

/**
 * Explicit midpoint (order 2) on the same right-hand side: the wrong integrator of the control, as if RK4 had lost its
 * k3, k4 stages.
 */
function midpoint(common: Common, h: number): OdeState {
  const { initial } = common;
  const K = initial.hidden;
  const n = initial.directions;
  const field = createVectorField({
    hidden: K,
    directions: n,
    kappa: kappaOf(common.spectrum as Spectrum),
    activation: resolveActivation(common.activation),
    rule: common.rule,
    learningRate: common.learningRate,
  });
  const y = new Float64Array(field.size);
  y.set(initial.a, 0);
  y.set(initial.b, K * n);
  const k1 = new Float64Array(field.size);
  const tmp = new Float64Array(field.size);
  const tEnd = common.times[common.times.length - 1];
  const steps = Math.round(tEnd / h);
  for (let s = 0; s < steps; s++) {
    field.evaluate(y, k1);
    for (let i = 0; i < y.length; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
    field.evaluate(tmp, k1);
    for (let i = 0; i < y.length; i++) y[i] += h * k1[i];
  }
  return { hidden: K, directions: n, a: y.slice(0, K * n), b: y.slice(K * n) };
}

/** Max-norm distance between two states. */
function distance(u: OdeState, v: OdeState): number {
  let m = 0;
  for (let i = 0; i < u.a.length; i++) m = Math.max(m, Math.abs(u.a[i] - v.a[i]), Math.abs(u.b[i] - v.b[i]));
  return m;
}

function measureWith(deps: IntegratorDeps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const D = ctx.sizes.dim;
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(D);
    for (let i = 0; i < D; i++) values[i] = i < 2 ? (0.3 + rng.uniform()) * D : 0.5 + rng.uniform();
    values.sort().reverse();
    const spectrum = { dim: D, values };
    const initial = randomOdeState({
      hidden: params.hidden,
      inputDim: D,
      directions: D,
      initialScale: 0.5,
      rng: rng.fork('s'),
    });
    const common: Common = {
      spectrum,
      activation: params.activation,
      rule: params.rule,
      learningRate: 1,
      initial,
      times: [ctx.sizes.horizon],
    };
    const reference = integrateOde({ ...common, tolerance: REFERENCE_TOLERANCE });
    // Richardson: with y_h = y + C h⁴ + …, |y_h − y_{h/2}| / |y_{h/2} − y_{h/4}| = 2⁴ (no reference needed).
    // The order is an asymptotic (h → 0) statement: it is read from the finer triple h/2, h/4, h/8. From the coarse
    // triple h, h/2, h/4 the next term of the expansion still shows at the largest steps (a truncated linear unit at
    // h = 0.144 gave 4.83; the finer triple gives 4 within the band), so that triple is reported, not asserted.
    const [yh, yh2, yh4, yh8] = [1, 2, 4, 8].map((f) => deps.fixedStep(common, params.step / f));
    const coarse = distance(yh2, yh4);
    const fine = distance(yh4, yh8);
    const order = Math.log2(coarse / fine);
    const adaptive = distance(
      integrateOde({ ...common, tolerance: deps.adaptiveTolerance }).states[0],
      reference.states[0],
    );
    return {
      checks: [
        closeTo('rk4-order', order, PREDICTED_ORDER, { atol: ALLOWED, metric: '|log₂(e(h/2)/e(h/4)) − 4|' }),
        atMost('adaptive-accuracy', adaptive, 0, ADAPTIVE_ALLOWED),
      ],
      details: {
        differenceH2H4: coarse,
        differenceH4H8: fine,
        orderFromCoarseTriple: Math.log2(distance(yh, yh2) / coarse),
        errorAdaptive: adaptive,
        referenceSteps: reference.stats.steps,
      },
    };
  };
}

/**
 * The integrators converge at their nominal order (docs/theory-refinetti2022.md, "Integration" after (E13): RK4 or an
 * adaptive method).
 */
export const integratorOrder = defineClaim({
  id: 'refinetti2022.ode-integrator-order',
  paper: 'refinetti2022',
  title: 'RK4 on the vector-form ODEs converges at order 4; the adaptive method meets its tolerance',
  statement:
    'Integrating the vector-form ODEs to a fixed time with RK4 at steps h/2, h/4 and h/8, the differences |y_{h/2} − y_{h/4}| / |y_{h/4} − y_{h/8}| = 2^p with p within 0.3 of 4 (Richardson; at the coarser triple h, h/2, h/4 the next term of the expansion can still show for h ≳ 0.14); the adaptive Dormand–Prince 5(4) run at tolerance 1e-8 is within 1e-6 (max norm) of a reference run at 1e-13.',
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md "Integration" paragraph after (E13), (K6); checked by convergence order',
    confidence: 'DERIVED',
  },
  kind: 'numerical',
  domain,
  defaults: { activation: 'erf', rule: 'vanilla', hidden: 2, step: 0.1, seed: 9 },
  tolerance: {
    description: `|p − 4| ≤ ${ALLOWED}; adaptive max-norm error ≤ ${ADAPTIVE_ALLOWED}`,
    reason: 'next term of the error expansion at these steps; the adaptive global error ≈ 1e2 × its tolerance 1e-8',
  },
  budget: { quick: { runs: 12, sizes: { dim: 10, horizon: 5 } }, paper: { runs: 20, sizes: { dim: 50, horizon: 10 } } },
  measure: measureWith({ fixedStep: rk4, adaptiveTolerance: ADAPTIVE_TOLERANCE }),
  controls: [
    {
      name: 'midpoint-as-rk4',
      description: 'an order-2 integrator (explicit midpoint) in place of RK4',
      measure: measureWith({ fixedStep: midpoint, adaptiveTolerance: ADAPTIVE_TOLERANCE }),
      catches: ['rk4-order'],
    },
    {
      name: 'loose-adaptive',
      description: 'the adaptive run at tolerance 1e-3 instead of 1e-8',
      measure: measureWith({ fixedStep: rk4, adaptiveTolerance: 1e-3 }),
      catches: ['adaptive-accuracy'],
    },
  ],
});

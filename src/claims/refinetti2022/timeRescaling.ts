import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { randomOdeState } from '../../theory/refinetti2022/odeState.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';
import { logTimes } from './logTimes.ts';

const TOLERANCE = 1e-11;
/**
 * Allowed max |ε(t; η) − ε(ηt; 1)| / ε(0). The right-hand side is linear in η, so the identity is exact; the two
 * integrations take different steps, so each carries its own global error (≈ 1e2–1e3 × TOLERANCE): 1e-8.
 */
const ALLOWED = 1e-8;

const domain = {
  activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
  rule: { kind: 'choice', values: ['vanilla', 'truncated'] as const, doc: 'SGD rule' },
  hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
  learningRate: { kind: 'float', min: 0.05, max: 3, doc: 'η', log: true },
  seed: { kind: 'seed', doc: 'seed of the spectrum and the initial state' },
} as const;
type Sizes = { dim: number; horizon: number };

/** Where the η = 1 run is read: η·t for the claim (the drift is linear in η). */
interface RescaleDeps {
  unitTime: (t: number, eta: number) => number;
}

function measureWith(deps: RescaleDeps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const D = ctx.sizes.dim;
    const rng = ctx.rng.fork(params.seed);
    const values = new Float64Array(D);
    for (let i = 0; i < D; i++) values[i] = i < 2 ? (0.2 + rng.uniform()) * D * 0.5 : 0.5 + rng.uniform();
    values.sort().reverse();
    const spectrum = { dim: D, values };
    const initial = randomOdeState({
      hidden: params.hidden,
      inputDim: D,
      directions: D,
      initialScale: 0.3,
      rng: rng.fork('s'),
    });
    const eta = params.learningRate;
    const times = logTimes(0.1, ctx.sizes.horizon / eta, 20);
    const common = { spectrum, activation: params.activation, rule: params.rule, initial, tolerance: TOLERANCE };
    const withEta = integrateOde({ ...common, learningRate: eta, times });
    const unit = integrateOde({ ...common, learningRate: 1, times: times.map((t) => deps.unitTime(t, eta)) });
    let worst = 0;
    for (let i = 1; i < times.length; i++) {
      if (Math.abs(withEta.error[i] - unit.error[i]) > Math.abs(withEta.error[worst] - unit.error[worst])) worst = i;
    }
    const e0 = withEta.error[0];
    return {
      checks: [
        closeTo('rescaled-trajectory', withEta.error[worst] / e0, unit.error[worst] / e0, {
          atol: ALLOWED,
          metric: 'max_t |ε(t; η) − ε(ηt; 1)| / ε(0) (observed, expected: ε(t; η)/ε(0), ε(ηt; 1)/ε(0) at the worst t)',
        }),
      ],
      details: { worstAt: times[worst], epsilonEnd: withEta.error[withEta.error.length - 1] },
    };
  };
}

/** The ODE right-hand side is linear in η, so ε(t; η) = ε(ηt; 1) (docs/theory-refinetti2022.md (E13)). */
export const timeRescaling = defineClaim({
  id: 'refinetti2022.ode-time-rescaling',
  paper: 'refinetti2022',
  title: 'Time rescaling: ε(t; η) = ε(ηt; 1)',
  statement:
    'The ODE right-hand side is proportional to η (vanilla and truncated), so the trajectory at learning rate η is the trajectory at η = 1 with time rescaled: ε(t; η) = ε(ηt; 1).',
  source: {
    paper: 'refinetti2022',
    where: 'docs/theory-refinetti2022.md (E13), time rescaling',
    confidence: 'DERIVED',
  },
  kind: 'exact',
  domain,
  defaults: { activation: 'erf', rule: 'vanilla', hidden: 2, learningRate: 0.4, seed: 5 },
  tolerance: {
    description: `max |Δε|/ε(0) ≤ ${ALLOWED}`,
    reason: 'exact identity; two independent integrations at tolerance 1e-11',
  },
  budget: {
    quick: { runs: 12, sizes: { dim: 10, horizon: 50 } },
    paper: { runs: 20, sizes: { dim: 100, horizon: 500 } },
  },
  measure: measureWith({ unitTime: (t, eta) => eta * t }),
  controls: [
    {
      name: 'drift-quadratic-in-eta',
      description: 'the η = 1 run read at η²t, as if the drift were ∝ η² (a wrong learning-rate scaling)',
      measure: measureWith({ unitTime: (t, eta) => eta * eta * t }),
      catches: ['rescaled-trajectory'],
    },
  ],
});

import { integrateOde } from '../../theory/refinetti2022/integrateOde.ts';
import { randomOdeState } from '../../theory/refinetti2022/odeState.ts';
import { defineClaim } from '../claim.ts';
import { logTimes } from './logTimes.ts';

const TOLERANCE = 1e-11;
/**
 * Allowed max |ε(t; η) − ε(ηt; 1)| / ε(0). The right-hand side is linear in η, so the identity is exact; the two
 * integrations take different steps, so each carries its own global error (≈ 1e2–1e3 × TOLERANCE): 1e-8.
 */
const ALLOWED = 1e-8;

/** The ODE right-hand side is linear in η, so ε(t; η) = ε(ηt; 1) (digest §3.5, property tests). */
export const timeRescaling = defineClaim({
  id: 'refinetti2022.ode-time-rescaling',
  paper: 'refinetti2022',
  title: 'Time rescaling: ε(t; η) = ε(ηt; 1)',
  statement:
    'The ODE right-hand side is proportional to η (vanilla and truncated), so the trajectory at learning rate η is the trajectory at η = 1 with time rescaled: ε(t; η) = ε(ηt; 1).',
  source: { paper: 'refinetti2022', where: '§3.5, property tests', confidence: 'DERIVED' },
  kind: 'exact',
  domain: {
    activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
    rule: { kind: 'choice', values: ['vanilla', 'truncated'] as const, doc: 'SGD rule' },
    hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
    learningRate: { kind: 'float', min: 0.05, max: 3, doc: 'η', log: true },
    seed: { kind: 'seed', doc: 'seed of the spectrum and the initial state' },
  },
  defaults: { activation: 'erf', rule: 'vanilla', hidden: 2, learningRate: 0.4, seed: 5 },
  tolerance: {
    description: `max |Δε|/ε(0) ≤ ${ALLOWED}`,
    reason: 'exact identity; two independent integrations at tolerance 1e-11',
  },
  budget: {
    quick: { runs: 12, sizes: { dim: 10, horizon: 50 } },
    paper: { runs: 20, sizes: { dim: 100, horizon: 500 } },
  },
  measure(params, ctx) {
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
    const unit = integrateOde({ ...common, learningRate: 1, times: times.map((t) => eta * t) });
    let worst = 0;
    for (let i = 0; i < times.length; i++) worst = Math.max(worst, Math.abs(withEta.error[i] - unit.error[i]));
    const rel = worst / withEta.error[0];
    return {
      predicted: 0,
      observed: rel,
      error: rel,
      allowed: ALLOWED,
      metric: 'max |ε(t; η) − ε(ηt; 1)| / ε(0)',
      details: { epsilonEnd: withEta.error[withEta.error.length - 1] },
    };
  },
});

import { frobeniusRelativeError } from '../../core/tolerance.ts';
import {
  type Densities,
  densitiesFromState,
  densityDerivativeCodeForm,
  densityDerivativeFromVector,
  densityDerivativeSteinForm,
} from '../../theory/refinetti2022/densityForms.ts';
import { resolveActivation } from '../../theory/refinetti2022/odeActivation.ts';
import type { Check } from '../check.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import type { OdeRule } from '../../theory/refinetti2022/vectorField.ts';

/**
 * Allowed relative (Frobenius) disagreement. The forms are algebraically identical; what separates them is round-off,
 * amplified in the code form by its 1/Δ_k = 1/(Q^{kk}T^{kk} − (R^{kk})²) factors. Random states keep Δ_k away from 0,
 * so the measured disagreement is ~1e-15; 1e-10 leaves five orders of magnitude for ill-conditioned draws.
 */
const ALLOWED = 1e-10;

const FIELDS = ['q', 'r', 't', 'T0'] as const;

const domain = {
  activation: { kind: 'choice', values: ['linear', 'erf', 'relu'] as const, doc: 'activation g' },
  rule: { kind: 'choice', values: ['vanilla', 'truncated'] as const, doc: 'SGD rule' },
  hidden: { kind: 'int', min: 1, max: 5, doc: 'hidden units K' },
  directions: { kind: 'int', min: 3, max: 12, doc: 'directions n (≥ 3: see the statement)' },
  learningRate: { kind: 'float', min: 0.01, max: 2, doc: 'η', log: true },
  stateSeed: { kind: 'seed', doc: 'seed of the random state and eigenvalues' },
} as const;

/** The Stein form under test: the rule it is evaluated with (the claim's own rule, or a control's wrong one). */
interface FormDeps {
  steinRule: (rule: OdeRule) => OdeRule;
}

function measureWith(deps: FormDeps): MeasureFn<typeof domain, Record<string, never>> {
  return (params, ctx) => {
    const { hidden: K, directions: n } = params;
    const rng = ctx.rng.fork(params.stateSeed);
    const a = new Float64Array(K * n);
    const b = new Float64Array(K * n);
    rng.fillNormal(a);
    rng.fillNormal(b, 0, K * n, 0.5);
    const kappa = new Float64Array(n);
    for (let i = 0; i < n; i++) kappa[i] = 0.05 + rng.uniform();
    const state = { hidden: K, directions: n, a, b };
    const options = {
      kappa,
      activation: resolveActivation(params.activation),
      rule: params.rule,
      learningRate: params.learningRate,
    };
    const densities = densitiesFromState(state);
    const code = densityDerivativeCodeForm(densities, options);
    const stein = densityDerivativeSteinForm(densities, { ...options, rule: deps.steinRule(params.rule) });
    const vector = densityDerivativeFromVector(state, options);
    const details: Record<string, number> = {};
    // One check per pair of forms: the worst field (q, r, t, T0); a NaN (0/0 in the code form) fails as non-finite.
    const compare = (name: string, x: Densities, y: Densities): Check => {
      let worst = 0;
      let worstField = '';
      for (const f of FIELDS) {
        const e = frobeniusRelativeError(x[f], y[f]);
        details[`${name}.${f}`] = e;
        if (Number.isNaN(e) || e > worst) {
          worst = Number.isNaN(e) ? Number.NaN : e;
          worstField = f;
          if (Number.isNaN(e)) break;
        }
      }
      return {
        name,
        observed: worst,
        expected: 0,
        error: worst,
        allowed: ALLOWED,
        metric: `relative Frobenius difference, worst of dq, dr, dt, dT0${worstField ? ` (${worstField})` : ''}`,
      };
    };
    return {
      checks: [
        compare('code-vs-vector', code, vector),
        compare('stein-vs-vector', stein, vector),
        compare('code-vs-stein', code, stein),
      ],
      details,
    };
  };
}

/**
 * The three forms of the ODEs — the density form exactly as the authors coded it (docs/theory-refinetti2022.md (E10)),
 * its Stein form ((E11)) and the rank-one vector form ((E12), through the product rule) — give the same derivative of
 * every density q_τ, r_τ, t_τ and of T0 on random rank-one states.
 */
export const odeFormsAgree = defineClaim({
  id: 'refinetti2022.ode-forms-agree',
  paper: 'refinetti2022',
  title: 'The code, Stein and vector forms of the ODEs agree',
  statement:
    'On random rank-one states (a_τ, b_τ) with random eigenvalues, for linear, erf and ReLU, vanilla and truncated rules, the density-form right-hand side as coded by the authors, its Stein form and the vector form (through q = a aᵀ, r = b aᵀ, t = b bᵀ) agree to 1e-10 relative (Frobenius) in dq, dr, dt and dT0. Regime: n ≥ 3 directions; with n = 1 every Δ_k = Q^{kk}T^{kk} − (R^{kk})² and Δ_{ka} vanishes and the code form is 0/0 (one reason to prefer the Stein and vector forms).',
  source: { paper: 'refinetti2022', where: 'docs/theory-refinetti2022.md (E10), (E11), (E12)', confidence: 'DERIVED' },
  kind: 'exact',
  domain,
  defaults: { activation: 'erf', rule: 'truncated', hidden: 3, directions: 6, learningRate: 0.4, stateSeed: 11 },
  tolerance: {
    description: `relative error ≤ ${ALLOWED}`,
    reason: 'identical algebra; only round-off (amplified by the code form’s 1/Δ factors) separates the forms',
  },
  budget: { quick: { runs: 40, sizes: {} }, paper: { runs: 200, sizes: {} } },
  measure: measureWith({ steinRule: (rule) => rule }),
  controls: [
    {
      name: 'stein-wrong-index-set',
      description: 'the Stein form evaluated with the other rule’s index set A(k) (vanilla for truncated and back)',
      measure: measureWith({ steinRule: (rule) => (rule === 'vanilla' ? 'truncated' : 'vanilla') }),
      params: { hidden: 3 },
      catches: ['stein-vs-vector', 'code-vs-stein'],
    },
  ],
});

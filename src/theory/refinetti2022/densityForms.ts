/**
 * The density form of the Refinetti & Goldt 2022 ODEs, in two algebraically equivalent versions, used only to prove
 * that the three forms (code, Stein, vector) agree:
 * - `code`: exactly as in the authors' `src/analytical_updates.py` (docs/theory-refinetti2022.md (E10)), with the 1/Δ_k
 * and 1/Δ_{ka} factors
 *   and the integrals J2, I2, I21, I22, I3;
 * - `stein`: the Stein form ((E11)), B_k[X, Y] = ψ_k X^k + φ_k Y − Σ_{a∈A(k)} T0^{ka}[M1^{ka} X^k + M2^{ka} X^a];
 * - {@link densityDerivativeFromVector}: the product rule applied to the vector form ((E12)),
 *   d(q_τ) = ȧ aᵀ + a ȧᵀ, d(r_τ) = ḃ aᵀ + b ȧᵀ, d(t_τ) = ḃ bᵀ + b ḃᵀ, dT0 = Σ_τ d(t_τ).
 * Densities: q_τ^{kl} = a^k a^l, r_τ^{kl} = b^k a^l, t_τ^{kl} = b^k b^l (K×K per direction τ, stored τ-major).
 * This module allocates freely; it is a checking tool, not a solver.
 */
import type { ActivationIntegrals } from './odeActivation.ts';
import type { OdeState } from './odeState.ts';
import { createVectorField, type OdeRule } from './vectorField.ts';

/** Densities of n directions, each K×K; index (τ·K + k)·K + l. */
export interface Densities {
  hidden: number;
  directions: number;
  q: Float64Array;
  r: Float64Array;
  t: Float64Array;
  /** T0, K×K (a sum over all D directions). */
  T0: Float64Array;
}

/** Densities of a rank-one vector state. */
export function densitiesFromState(state: OdeState): Densities {
  const { hidden: K, directions: n, a, b } = state;
  const q = new Float64Array(n * K * K);
  const r = new Float64Array(n * K * K);
  const t = new Float64Array(n * K * K);
  const T0 = new Float64Array(K * K);
  for (let tau = 0; tau < n; tau++) {
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < K; l++) {
        const i = (tau * K + k) * K + l;
        q[i] = a[k * n + tau] * a[l * n + tau];
        r[i] = b[k * n + tau] * a[l * n + tau];
        t[i] = b[k * n + tau] * b[l * n + tau];
        T0[k * K + l] += t[i];
      }
    }
  }
  return { hidden: K, directions: n, q, r, t, T0 };
}

/** Options of the density right-hand sides. */
export interface DensityFormOptions {
  /** κ_τ = ρ_τ / D. */
  kappa: Float64Array;
  activation: ActivationIntegrals;
  rule: OdeRule;
  learningRate: number;
}

/** Q = Σ κ q, R = Σ κ r, T = Σ κ t. */
function macroscopic(d: Densities, kappa: Float64Array) {
  const K = d.hidden;
  const Q = new Float64Array(K * K);
  const R = new Float64Array(K * K);
  const T = new Float64Array(K * K);
  for (let tau = 0; tau < d.directions; tau++) {
    for (let i = 0; i < K * K; i++) {
      const j = tau * K * K + i;
      Q[i] += kappa[tau] * d.q[j];
      R[i] += kappa[tau] * d.r[j];
      T[i] += kappa[tau] * d.t[j];
    }
  }
  return { Q, R, T };
}

/** The encoder bracket B_k[X, Y] of one direction: `xk` = X^k, `xa(a)` = X^a, `y` = Y. */
type Bracket = (k: number, xk: number, xa: (a: number) => number, y: number) => number;

function densityDerivative(
  d: Densities,
  options: DensityFormOptions,
  bracketOf: (m: ReturnType<typeof macroscopic>) => Bracket,
): Densities {
  const { kappa, activation: g, rule, learningRate: eta } = options;
  const K = d.hidden;
  const n = d.directions;
  const m = macroscopic(d, kappa);
  const { Q, R } = m;
  const T0 = d.T0;
  const last = (k: number) => (rule === 'truncated' ? k + 1 : K);
  const phi = (k: number) => g.phi(Q[k * K + k]);
  const i2 = (k: number, a: number) => g.i2(Q[k * K + k], Q[k * K + a], Q[a * K + a]);
  const B = bracketOf(m);
  const out: Densities = {
    hidden: K,
    directions: n,
    q: new Float64Array(n * K * K),
    r: new Float64Array(n * K * K),
    t: new Float64Array(n * K * K),
    T0: new Float64Array(K * K),
  };
  for (let tau = 0; tau < n; tau++) {
    const c = kappa[tau];
    const o = tau * K * K;
    const q = (k: number, l: number) => d.q[o + k * K + l];
    const r = (k: number, l: number) => d.r[o + k * K + l];
    const t = (k: number, l: number) => d.t[o + k * K + l];
    // Ψ^{kl} = B_k[X^k = q^{kl}, X^a = q^{al}, Y = r^{kl}].
    const psiQ = (k: number, l: number) => B(k, q(k, l), (a) => q(a, l), r(k, l));
    // F^{kl} = κ φ_k r^{lk} − Σ_{a∈A(k)} I2^{ka} t^{al}.
    const fT = (k: number, l: number) => {
      let s = c * phi(k) * r(l, k);
      for (let a = 0; a < last(k); a++) s -= i2(k, a) * t(a, l);
      return s;
    };
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < K; l++) {
        out.q[o + k * K + l] = eta * c * (psiQ(k, l) + psiQ(l, k));
        out.t[o + k * K + l] = eta * (fT(k, l) + fT(l, k));
        let s = c * phi(k) * q(k, l);
        for (let a = 0; a < last(k); a++) s -= i2(k, a) * r(a, l);
        out.r[o + k * K + l] = eta * s + eta * c * B(l, r(k, l), (a) => r(k, a), t(k, l));
      }
    }
  }
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < K; l++) {
      const f = (k1: number, l1: number) => {
        let s = phi(k1) * R[l1 * K + k1];
        for (let a = 0; a < last(k1); a++) s -= i2(k1, a) * T0[a * K + l1];
        return s;
      };
      out.T0[k * K + l] = eta * (f(k, l) + f(l, k));
    }
  }
  return out;
}

/** The density form exactly as the authors coded it (docs/theory-refinetti2022.md (E10)). */
export function densityDerivativeCodeForm(d: Densities, options: DensityFormOptions): Densities {
  const { activation: g, rule } = options;
  const K = d.hidden;
  return densityDerivative(d, options, ({ Q, R, T }) => {
    const T0 = d.T0;
    return (k, xk, xa, y) => {
      const qkk = Q[k * K + k];
      const rkk = R[k * K + k];
      const tkk = T[k * K + k];
      const deltaK = qkk * tkk - rkk * rkk;
      const i21 = g.i21(qkk, rkk, tkk);
      const i22 = g.i22(qkk, rkk, tkk);
      // Term "C".
      let s = (i21 * (tkk * xk - rkk * y) + i22 * (qkk * y - rkk * xk)) / deltaK;
      // Term "B" (a = k, always included).
      s -= (T0[k * K + k] / qkk) * g.i3(qkk, qkk, qkk, qkk, qkk, qkk) * xk;
      // Term "A" (a ∈ A(k), a ≠ k).
      const last = rule === 'truncated' ? k + 1 : K;
      for (let a = 0; a < last; a++) {
        if (a === k) continue;
        const qka = Q[k * K + a];
        const qaa = Q[a * K + a];
        const deltaKA = qkk * qaa - qka * qka;
        const i3kka = g.i3(qkk, qkk, qka, qkk, qka, qaa);
        const i3kaa = g.i3(qkk, qka, qka, qaa, qaa, qaa);
        const x = xa(a);
        s -= (T0[k * K + a] / deltaKA) * (i3kka * (qaa * xk - qka * x) + i3kaa * (qkk * x - qka * xk));
      }
      return s;
    };
  });
}

/** The Stein form of the density ODEs (docs/theory-refinetti2022.md (E11)): no 1/Δ factors. */
export function densityDerivativeSteinForm(d: Densities, options: DensityFormOptions): Densities {
  const { activation: g, rule } = options;
  const K = d.hidden;
  return densityDerivative(d, options, ({ Q, R }) => {
    const T0 = d.T0;
    return (k, xk, xa, y) => {
      const qkk = Q[k * K + k];
      let s = g.psi(qkk, R[k * K + k]) * xk + g.phi(qkk) * y;
      const last = rule === 'truncated' ? k + 1 : K;
      for (let a = 0; a < last; a++) {
        const qka = Q[k * K + a];
        const qaa = Q[a * K + a];
        s -= T0[k * K + a] * (g.m1(qkk, qka, qaa) * xk + g.m2(qkk, qka, qaa) * xa(a));
      }
      return s;
    };
  });
}

/** Density derivatives implied by the vector form (product rule on q = a aᵀ, r = b aᵀ, t = b bᵀ). */
export function densityDerivativeFromVector(state: OdeState, options: DensityFormOptions): Densities {
  const { hidden: K, directions: n, a, b } = state;
  const field = createVectorField({
    hidden: K,
    directions: n,
    kappa: options.kappa,
    activation: options.activation,
    rule: options.rule,
    learningRate: options.learningRate,
  });
  const y = new Float64Array(field.size);
  y.set(a, 0);
  y.set(b, K * n);
  const dy = new Float64Array(field.size);
  field.evaluate(y, dy);
  const da = dy.subarray(0, K * n);
  const db = dy.subarray(K * n);
  const out: Densities = {
    hidden: K,
    directions: n,
    q: new Float64Array(n * K * K),
    r: new Float64Array(n * K * K),
    t: new Float64Array(n * K * K),
    T0: new Float64Array(K * K),
  };
  for (let tau = 0; tau < n; tau++) {
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < K; l++) {
        const i = (tau * K + k) * K + l;
        const ak = a[k * n + tau];
        const al = a[l * n + tau];
        const bk = b[k * n + tau];
        const bl = b[l * n + tau];
        out.q[i] = da[k * n + tau] * al + ak * da[l * n + tau];
        out.r[i] = db[k * n + tau] * al + bk * da[l * n + tau];
        out.t[i] = db[k * n + tau] * bl + bk * db[l * n + tau];
        out.T0[k * K + l] += out.t[i];
      }
    }
  }
  return out;
}

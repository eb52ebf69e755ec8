/**
 * A stiff integrator for the vector-form ODEs of Refinetti & Goldt 2022 (see `vectorField.ts`): the Rosenbrock method
 * RODAS4 of Hairer & Wanner (Solving ODEs II, §IV.7; order 4 with an embedded order-3 solution, L-stable, stiffly
 * accurate, 6 right-hand-side evaluations and 6 linear solves per step) with the exact Jacobian.
 *
 * Why it pays: at long times the explicit step is limited by stability (the fastest decaying mode, rate ≈ 1.5 for the
 * spike direction at t = 10⁴ in the benchmark, while the slow bulk directions relax on times ~ 1/(η κ_bulk) ≈ 4·10³).
 * An L-stable method takes steps set by accuracy alone.
 *
 * The Jacobian without a dense matrix. The right-hand side is, per direction τ, a linear map of y_τ = (a_τ, b_τ) ∈ R^{2K}
 * whose coefficients c (selfA, φ, mixA, mixB: m = 2K + 2K² numbers) depend on the order parameters
 * θ = (Q, diag R, T0) (r = K(K+1) + K numbers; the coefficients read R only on its diagonal), which are sums over τ
 * of quadratic forms of y_τ:
 *
 *   f(y)_τ = L_τ(c(θ(y))) y_τ   ⇒   J = blockdiag(L_τ) + S · Dc · Vᵀ,
 *
 * with S = ∂(L y)/∂c (N × m, two non-zeros per column per τ), Dc = ∂c/∂θ (m × r, central finite differences of
 * {@link VectorField.coefficients}: 2r evaluations of K² Gaussian integrals, no right-hand side) and Vᵀ = ∂θ/∂y
 * (r × N, bilinear in y). The stage matrix (I/(hγ) − J) is solved by the Woodbury identity: with
 * A = blockdiag(I/(hγ) − L_τ) (n blocks of 2K × 2K, inverted once per step) and the r × r capacitance matrix
 * C = I − (Vᵀ A⁻¹ S) Dc (LU once per step),
 *
 *   x = w + A⁻¹ S Dc u,   w = A⁻¹ rhs,   C u = Vᵀ w.
 *
 * Cost per step: O(n (2K)³ + n r (m + 2K)) to set up, O(n (2K)² + n r) per solve; nothing of size N². The Jacobian is
 * exact up to the finite differences in Dc (relative ≈ 1e-9), so RODAS4 keeps its order.
 *
 * A trained encoder bias is not supported here (its coupling would add K rows and columns); a fixed bias is.
 * Everything allocates at creation; `attempt` allocates nothing.
 */
import type { VectorField } from './vectorField.ts';
import { coefficientCount } from './vectorField.ts';

/** RODAS4 coefficients in the transformed form of Hairer & Wanner's RODAS code (METH = 1), γ = 1/4. */
const GAMMA = 0.25;
const A21 = 1.544;
const A31 = 0.9466785280815826;
const A32 = 0.2557011698983284;
const A41 = 3.314825187068521;
const A42 = 2.896124015972201;
const A43 = 0.9986419139977817;
const A51 = 1.221224509226641;
const A52 = 6.019134481288629;
const A53 = 12.53708332932087;
const A54 = -0.687886036105895;
const C21 = -5.6688;
const C31 = -2.430093356833875;
const C32 = -0.2063599157091915;
const C41 = -0.1073529058151375;
const C42 = -9.594562251023355;
const C43 = -20.47028614809616;
const C51 = 7.496443313967647;
const C52 = -10.24680431464352;
const C53 = -33.99990352819905;
const C54 = 11.7089089320616;
const C61 = 8.083246795921522;
const C62 = -7.981132988064893;
const C63 = -31.52159432874371;
const C64 = 16.31930543123136;
const C65 = -6.058818238834054;

/** Classical order of RODAS4 and of its embedded solution (the step controller uses err^(−1/(EMBEDDED_ORDER + 1))). */
export const RODAS4_ORDER = 4;
export const RODAS4_EMBEDDED_ORDER = 3;

/**
 * Relative step of the central differences for Dc = ∂c/∂θ: truncation ~ δ² ≈ 1e-10, round-off ~ 1e-16/δ ≈ 1e-11
 * (relative to the coefficients' scale).
 */
const FD_RELATIVE_STEP = 1e-5;
/** Absolute floor of that step, so that it is non-zero at θ = 0 (order parameters are O(1e-4) and up in use). */
const FD_STEP_FLOOR = 1e-12;
/** Smallest diagonal scale of Q, R or T0 for the finite-difference step, relative to the largest of the three. */
const SCALE_FLOOR = 0.1;

/** Options of {@link createRosenbrockStepper}. */
export interface RosenbrockStepperOptions {
  /** The right-hand side (from `createVectorField`, without a trained bias). */
  field: VectorField;
  /** K. */
  hidden: number;
  /** n, the number of directions. */
  directions: number;
  /** κ_τ = ρ_τ / D (length n). */
  kappa: Float64Array;
  /** η. */
  learningRate: number;
  /** 'truncated' makes mixA, mixB lower triangular (unit k sees units 1..k). */
  truncated: boolean;
  /** Whether the state carries a (fixed) bias β after a and b. */
  fixedBias: boolean;
  /**
   * 'exact' (default): the full Jacobian. 'block-diagonal': only blockdiag(L_τ), the coupling through the order
   * parameters left out; RODAS4 then loses its order (a negative control for the tests, not for use).
   */
  jacobian?: 'exact' | 'block-diagonal';
}

/** Counters of a {@link RosenbrockStepper}. */
export interface RosenbrockStats {
  /** Right-hand-side evaluations. */
  evaluations: number;
  /** Jacobian evaluations (order parameters, coefficients and their finite-difference derivatives). */
  jacobians: number;
  /** Set-ups of the stage matrix (block inverses and the capacitance LU), one per (state, step size). */
  factorizations: number;
}

/** One RODAS4 step at a time; see the file comment. */
export interface RosenbrockStepper {
  /**
   * One RODAS4 step of size h from y: writes the order-4 solution to `ynew` and the difference to the embedded
   * order-3 solution (the local error estimate) to `error`. `newPoint`: y differs from the previous call's (the
   * Jacobian is re-evaluated); otherwise only the stage matrix is set up again for the new h. Returns false (and
   * writes nothing useful) when the stage matrix is singular at this h: the caller should shrink the step.
   */
  attempt(y: Float64Array, h: number, ynew: Float64Array, error: Float64Array, newPoint: boolean): boolean;
  readonly stats: RosenbrockStats;
}

/** Builds a RODAS4 stepper for the vector-form right-hand side. */
/**
 * The derivative of one coefficient from its values at θ + δ, θ and θ − δ: the central difference, or, when a
 * perturbation leaves the integrals' domain and gives NaN (a ReLU unit whose Q^{kk} is 0 or nearly so: Q^{kk} − δ < 0),
 * the one-sided difference on the side that stays inside, else no derivative (0). The Jacobian then only approximates,
 * which costs steps, not accuracy: the error estimate still controls the step. Exported for its tests.
 */
export function finiteDifference(plus: number, center: number, minus: number, delta: number): number {
  const d = (plus - minus) / (2 * delta);
  if (Number.isFinite(d)) return d;
  const right = (plus - center) / delta;
  if (Number.isFinite(right)) return right;
  const left = (center - minus) / delta;
  return Number.isFinite(left) ? left : 0;
}

export function createRosenbrockStepper(options: RosenbrockStepperOptions): RosenbrockStepper {
  const { field, hidden: K, directions: n, kappa, learningRate: eta, truncated } = options;
  const coupled = (options.jacobian ?? 'exact') === 'exact';
  const kn = K * n;
  const KK = K * K;
  const P = 2 * K; // block size
  const PP = P * P;
  const N = field.size;
  const m = coefficientCount(K);
  // θ entries: Q^{kl} (k ≤ l), R^{kk}, T0^{kl} (k ≤ l). The coefficients read R only on its diagonal (ψ_k and, with a
  // bias, s_k = R^{kk} E g''/Q^{kk}), so ∂c/∂R^{kl} = 0 for k ≠ l and those entries drop out of the coupling.
  const thetaKind: number[] = [];
  const thetaK: number[] = [];
  const thetaL: number[] = [];
  for (const kind of [0, 1, 2]) {
    for (let k = 0; k < K; k++) {
      for (let l = k; l < (kind === 1 ? k + 1 : K); l++) {
        thetaKind.push(kind);
        thetaK.push(k);
        thetaL.push(l);
      }
    }
  }
  const r = thetaKind.length;
  const stats: RosenbrockStats = { evaluations: 0, jacobians: 0, factorizations: 0 };

  // Jacobian data at the current point.
  const yJ = new Float64Array(N);
  const Q = new Float64Array(KK);
  const R = new Float64Array(KK);
  const T0 = new Float64Array(KK);
  const Qp = new Float64Array(KK);
  const Rp = new Float64Array(KK);
  const T0p = new Float64Array(KK);
  const beta = options.fixedBias ? new Float64Array(K) : undefined;
  const c0 = new Float64Array(m);
  const cPlus = new Float64Array(m);
  const cMinus = new Float64Array(m);
  /** Dc, m × r row-major: Dc[c·r + e] = ∂c_c/∂θ_e. */
  const Dc = new Float64Array(m * r);
  // Stage matrix data.
  const Ainv = new Float64Array(n * PP);
  const Gt = new Float64Array(P * r); // (Vᵀ_τ A_τ⁻¹)ᵀ: Gt[p·r + e]
  const E = new Float64Array(m * r); // (Vᵀ A⁻¹ S)ᵀ: E[c·r + e]
  const C = new Float64Array(r * r);
  const pivots = new Int32Array(r);
  const isActive = new Uint8Array(m); // coefficient used by the rule (mixA/mixB above the diagonal are not, truncated)
  for (let c = 0; c < 2 * K; c++) isActive[c] = 1;
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < K; j++) {
      const on = !truncated || j <= k ? 1 : 0;
      isActive[2 * K + k * K + j] = on;
      isActive[2 * K + KK + k * K + j] = on;
    }
  }
  const small = new Float64Array(KK);
  const Dinv = new Float64Array(KK);
  const Sinv = new Float64Array(KK);
  const PhiDinv = new Float64Array(KK);
  const DinvPhi = new Float64Array(KK);
  const PhiDinvPhi = new Float64Array(KK);
  const AB = new Float64Array(KK);
  const wa = new Float64Array(K);
  const wb = new Float64Array(K);
  let lastH = Number.NaN;
  // Solve work arrays.
  const w = new Float64Array(N);
  const u = new Float64Array(r);
  const s = new Float64Array(m);
  const tvec = new Float64Array(N);
  const local = new Float64Array(P);
  // Stage vectors.
  const k1 = new Float64Array(N);
  const k2 = new Float64Array(N);
  const k3 = new Float64Array(N);
  const k4 = new Float64Array(N);
  const k5 = new Float64Array(N);
  const k6 = new Float64Array(N);
  const fb = new Float64Array(N);
  const yt = new Float64Array(N);

  const thetaScale = (kind: number): number => {
    const M = kind === 0 ? Q : kind === 1 ? R : T0;
    let sc = 0;
    for (let k = 0; k < K; k++) sc += Math.abs(M[k * K + k]);
    return sc / K;
  };

  const perturb = (e: number, delta: number): void => {
    Qp.set(Q);
    Rp.set(R);
    T0p.set(T0);
    const kind = thetaKind[e];
    const k = thetaK[e];
    const l = thetaL[e];
    if (kind === 1) {
      Rp[k * K + l] += delta;
    } else {
      const M = kind === 0 ? Qp : T0p;
      M[k * K + l] += delta;
      if (k !== l) M[l * K + k] += delta;
    }
  };

  /** θ(y), c(θ), Dc at y. */
  const jacobian = (y: Float64Array): void => {
    yJ.set(y);
    stats.jacobians++;
    const a = yJ.subarray(0, kn);
    const b = yJ.subarray(kn, 2 * kn);
    // Q, R, T0 as the right-hand side computes them.
    for (let k = 0; k < K; k++) {
      for (let l = 0; l < K; l++) {
        let sq = 0;
        let sr = 0;
        let st = 0;
        for (let tau = 0, ok = k * n, ol = l * n; tau < n; tau++) {
          const ka = kappa[tau] * a[ol + tau];
          sq += ka * a[ok + tau];
          sr += ka * b[ok + tau];
          st += b[ok + tau] * b[ol + tau];
        }
        Q[k * K + l] = sq;
        R[k * K + l] = sr;
        T0[k * K + l] = st;
      }
    }
    if (beta) beta.set(yJ.subarray(2 * kn, 2 * kn + K));
    field.coefficients(Q, R, T0, beta, c0);
    // A matrix whose diagonal is 0 or nearly so (R when every b^k is κ-orthogonal to its a^k; R and T0 at b = 0) takes
    // at least SCALE_FLOOR of the largest of the three scales, so that its entries' step does not fall to the floor,
    // where round-off in the coefficients dominates the difference (measured at R = 0, erf: 2.7e-8 of the state's scale
    // between one step and the dense solve; 8.2e-12 with a floor of 1e-3, 5.1e-13 with 0.1;
    // rosenbrockStepperDense.test.ts). A floor of 1 (every step relative to the largest scale) breaks the other cases.
    const scales = [thetaScale(0), thetaScale(1), thetaScale(2)];
    const floor = SCALE_FLOOR * Math.max(scales[0], scales[1], scales[2]);
    for (let kind = 0; kind < 3; kind++) scales[kind] = Math.max(scales[kind], floor);
    for (let e = 0; e < r; e++) {
      const kind = thetaKind[e];
      const M = kind === 0 ? Q : kind === 1 ? R : T0;
      const base = M[thetaK[e] * K + thetaL[e]];
      // A step relative to the entry and to its matrix's diagonal scale.
      const delta = FD_RELATIVE_STEP * (Math.abs(base) + scales[kind]) + FD_STEP_FLOOR;
      perturb(e, delta);
      field.coefficients(Qp, Rp, T0p, beta, cPlus);
      perturb(e, -delta);
      field.coefficients(Qp, Rp, T0p, beta, cMinus);
      for (let c = 0; c < m; c++) Dc[c * r + e] = finiteDifference(cPlus[c], c0[c], cMinus[c], delta);
    }
  };

  /**
   * A_τ⁻¹ for every τ, E = (Vᵀ A⁻¹ S)ᵀ and the LU of C = I − E·Dc; false when a matrix is singular.
   *
   * A_τ = [[fac·I − ε X, −ε Φ], [−ε Φ, D_b]] with ε = η κ_τ, X = diag(selfA) − mixA, Φ = diag(φ) and
   * D_b = fac·I + η mixB the same for every τ; so A_τ⁻¹ comes from the K × K Schur complement
   * Sc_τ = fac·I − ε X − ε² Φ D_b⁻¹ Φ:  A_τ⁻¹ = [[Sc⁻¹, ε Sc⁻¹ Φ D_b⁻¹], [ε D_b⁻¹ Φ Sc⁻¹, D_b⁻¹ + ε² D_b⁻¹ Φ Sc⁻¹ Φ D_b⁻¹]].
   */
  const factor = (h: number): boolean => {
    stats.factorizations++;
    const fac = 1 / (h * GAMMA);
    const a = yJ.subarray(0, kn);
    const b = yJ.subarray(kn, 2 * kn);
    // D_b⁻¹, Φ D_b⁻¹ Φ, Φ D_b⁻¹ and D_b⁻¹ Φ (τ-independent).
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < K; j++) small[k * K + j] = (k === j ? fac : 0) + eta * c0[2 * K + KK + k * K + j];
    }
    if (!invertSmall(small, Dinv, K)) return false;
    for (let k = 0; k < K; k++) {
      const pk = c0[K + k];
      for (let j = 0; j < K; j++) {
        const pj = c0[K + j];
        PhiDinv[k * K + j] = pk * Dinv[k * K + j];
        DinvPhi[k * K + j] = Dinv[k * K + j] * pj;
        PhiDinvPhi[k * K + j] = pk * Dinv[k * K + j] * pj;
      }
    }
    E.fill(0);
    for (let tau = 0; tau < n; tau++) {
      const ek = eta * kappa[tau];
      const ek2 = ek * ek;
      // Sc_τ, inverted into the top-left block of A_τ⁻¹.
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < K; j++) {
          const x = (k === j ? c0[k] : 0) - c0[2 * K + k * K + j];
          small[k * K + j] = (k === j ? fac : 0) - ek * x - ek2 * PhiDinvPhi[k * K + j];
        }
      }
      if (!invertSmall(small, Sinv, K)) return false;
      const off = tau * PP;
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < K; j++) {
          Ainv[off + k * P + j] = Sinv[k * K + j];
          // ab = ε Sc⁻¹ Φ D_b⁻¹, ba = ε D_b⁻¹ Φ Sc⁻¹.
          let ab = 0;
          let ba = 0;
          for (let l = 0; l < K; l++) {
            ab += Sinv[k * K + l] * PhiDinv[l * K + j];
            ba += DinvPhi[k * K + l] * Sinv[l * K + j];
          }
          AB[k * K + j] = ek * ab;
          Ainv[off + k * P + K + j] = ek * ab;
          Ainv[off + (K + k) * P + j] = ek * ba;
        }
      }
      // bb = D_b⁻¹ + ε D_b⁻¹ Φ · ab.
      for (let k = 0; k < K; k++) {
        for (let j = 0; j < K; j++) {
          let acc = 0;
          for (let l = 0; l < K; l++) acc += DinvPhi[k * K + l] * AB[l * K + j];
          Ainv[off + (K + k) * P + K + j] = Dinv[k * K + j] + ek * acc;
        }
      }
      // Gt = (Vᵀ_τ A_τ⁻¹)ᵀ: row e of Vᵀ_τ combines two rows of A_τ⁻¹ (see the θ entries' definitions).
      const kt = kappa[tau];
      for (let e = 0; e < r; e++) {
        const kind = thetaKind[e];
        const ok = thetaK[e] * n + tau;
        const ol = thetaL[e] * n + tau;
        let o1: number;
        let w1: number;
        let o2: number;
        let w2: number;
        if (kind === 0) {
          // Q^{kl} = Σ κ a^k a^l
          o1 = off + thetaK[e] * P;
          w1 = kt * a[ol];
          o2 = off + thetaL[e] * P;
          w2 = kt * a[ok];
        } else if (kind === 1) {
          // R^{kl} = Σ κ b^k a^l
          o1 = off + (K + thetaK[e]) * P;
          w1 = kt * a[ol];
          o2 = off + thetaL[e] * P;
          w2 = kt * b[ok];
        } else {
          // T0^{kl} = Σ b^k b^l
          o1 = off + (K + thetaK[e]) * P;
          w1 = b[ol];
          o2 = off + (K + thetaL[e]) * P;
          w2 = b[ok];
        }
        for (let p = 0; p < P; p++) Gt[p * r + e] = w1 * Ainv[o1 + p] + w2 * Ainv[o2 + p];
      }
      // E_c += Σ_p (S_τ)_{p,c} Gt_p. S's columns: φ_k has ε b^k at row a_k and ε a^k at row b_k; mixA_kj has −ε a^j at
      // row a_k; mixB_kj has −η b^j at row b_k; selfA_k (ε a^k at row a_k) is −(mixA_kk's) and is filled at the end.
      for (let k = 0; k < K; k++) {
        const last = truncated ? k + 1 : K;
        for (let j = 0; j < last; j++) {
          wa[j] = -ek * a[j * n + tau];
          wb[j] = -eta * b[j * n + tau];
        }
        const fa = ek * b[k * n + tau];
        const fb2 = ek * a[k * n + tau];
        const ga = k * r;
        const gb = (K + k) * r;
        const ePhi = (K + k) * r;
        const eA = (2 * K + k * K) * r;
        const eB = (2 * K + KK + k * K) * r;
        for (let e = 0; e < r; e++) E[ePhi + e] += fa * Gt[ga + e] + fb2 * Gt[gb + e];
        for (let j = 0; j < last; j++) {
          const wj = wa[j];
          const vj = wb[j];
          const oA = eA + j * r;
          const oB = eB + j * r;
          for (let e = 0; e < r; e++) {
            E[oA + e] += wj * Gt[ga + e];
            E[oB + e] += vj * Gt[gb + e];
          }
        }
      }
    }
    for (let k = 0; k < K; k++) {
      const eA = (2 * K + k * K + k) * r;
      for (let e = 0; e < r; e++) E[k * r + e] = -E[eA + e];
    }
    if (!coupled) E.fill(0);
    // C = I − Eᵀ·Dc  (C[e][e'] = δ − Σ_c E[c][e] Dc[c][e']).
    C.fill(0);
    for (let e = 0; e < r; e++) C[e * r + e] = 1;
    for (let c = 0; c < m; c++) {
      if (!isActive[c]) continue;
      const oc = c * r;
      for (let e = 0; e < r; e++) {
        const v = E[oc + e];
        if (v !== 0) axpy(C, e * r, -v, Dc, oc, r);
      }
    }
    return luFactor(C, r, pivots);
  };

  /** x = (I/(hγ) − J)⁻¹ rhs (x may alias rhs). */
  const solve = (rhs: Float64Array, x: Float64Array, h: number): void => {
    const a = yJ.subarray(0, kn);
    const b = yJ.subarray(kn, 2 * kn);
    blockApply(rhs, w);
    // u = Vᵀ w.
    for (let e = 0; e < r; e++) {
      const kind = thetaKind[e];
      const ok = thetaK[e] * n;
      const ol = thetaL[e] * n;
      let acc = 0;
      if (kind === 0) {
        for (let tau = 0; tau < n; tau++) acc += kappa[tau] * (w[ok + tau] * a[ol + tau] + a[ok + tau] * w[ol + tau]);
      } else if (kind === 1) {
        for (let tau = 0; tau < n; tau++)
          acc += kappa[tau] * (w[kn + ok + tau] * a[ol + tau] + b[ok + tau] * w[ol + tau]);
      } else {
        for (let tau = 0; tau < n; tau++) acc += w[kn + ok + tau] * b[ol + tau] + b[ok + tau] * w[kn + ol + tau];
      }
      u[e] = acc;
    }
    luSolve(C, r, pivots, u);
    // s = Dc u.
    for (let c = 0; c < m; c++) {
      let acc = 0;
      if (isActive[c]) for (let e = 0, oc = c * r; e < r; e++) acc += Dc[oc + e] * u[e];
      s[c] = acc;
    }
    // tvec = S s (the right-hand side's linear map with coefficients s).
    for (let k = 0; k < K; k++) {
      const ok = k * n;
      const sk = s[k];
      const pk = s[K + k];
      const last = truncated ? k + 1 : K;
      const row = k * K;
      for (let tau = 0; tau < n; tau++) {
        let da = sk * a[ok + tau] + pk * b[ok + tau];
        let db = 0;
        for (let j = 0, oj = tau; j < last; j++, oj += n) {
          da -= s[2 * K + row + j] * a[oj];
          db -= s[2 * K + KK + row + j] * b[oj];
        }
        const c = eta * kappa[tau];
        tvec[ok + tau] = c * da;
        tvec[kn + ok + tau] = c * pk * a[ok + tau] + eta * db;
      }
    }
    blockApply(tvec, tvec);
    for (let i = 0; i < 2 * kn; i++) x[i] = w[i] + tvec[i];
    // A fixed bias: f_β = 0 and ∂f/∂β is not needed (δβ = 0 in every stage), so x_β = hγ·rhs_β.
    for (let i = 2 * kn; i < N; i++) x[i] = h * GAMMA * rhs[i];
  };

  /** out = A⁻¹ v, block by block (out may alias v). */
  const blockApply = (v: Float64Array, out: Float64Array): void => {
    for (let tau = 0; tau < n; tau++) {
      for (let k = 0; k < K; k++) {
        local[k] = v[k * n + tau];
        local[K + k] = v[kn + k * n + tau];
      }
      const off = tau * PP;
      for (let p = 0; p < P; p++) {
        let acc = 0;
        for (let q = 0, o = off + p * P; q < P; q++) acc += Ainv[o + q] * local[q];
        if (p < K) out[p * n + tau] = acc;
        else out[kn + (p - K) * n + tau] = acc;
      }
    }
  };

  const evaluate = (y: Float64Array, dy: Float64Array): void => {
    field.evaluate(y, dy);
    stats.evaluations++;
  };

  return {
    stats,
    attempt(y, h, ynew, error, newPoint): boolean {
      if (newPoint) {
        jacobian(y);
        lastH = Number.NaN;
      }
      if (h !== lastH) {
        if (!factor(h)) {
          lastH = Number.NaN;
          return false;
        }
        lastH = h;
      }
      const ih = 1 / h;
      evaluate(y, fb);
      solve(fb, k1, h);
      for (let i = 0; i < N; i++) yt[i] = y[i] + A21 * k1[i];
      evaluate(yt, fb);
      const c21 = C21 * ih;
      for (let i = 0; i < N; i++) fb[i] += c21 * k1[i];
      solve(fb, k2, h);
      for (let i = 0; i < N; i++) yt[i] = y[i] + A31 * k1[i] + A32 * k2[i];
      evaluate(yt, fb);
      const c31 = C31 * ih;
      const c32 = C32 * ih;
      for (let i = 0; i < N; i++) fb[i] += c31 * k1[i] + c32 * k2[i];
      solve(fb, k3, h);
      for (let i = 0; i < N; i++) yt[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i];
      evaluate(yt, fb);
      const c41 = C41 * ih;
      const c42 = C42 * ih;
      const c43 = C43 * ih;
      for (let i = 0; i < N; i++) fb[i] += c41 * k1[i] + c42 * k2[i] + c43 * k3[i];
      solve(fb, k4, h);
      for (let i = 0; i < N; i++) yt[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i];
      evaluate(yt, fb);
      const c51 = C51 * ih;
      const c52 = C52 * ih;
      const c53 = C53 * ih;
      const c54 = C54 * ih;
      for (let i = 0; i < N; i++) fb[i] += c51 * k1[i] + c52 * k2[i] + c53 * k3[i] + c54 * k4[i];
      solve(fb, k5, h);
      // Embedded (order 3) solution, then the last stage corrects it to order 4 (stiffly accurate).
      for (let i = 0; i < N; i++) yt[i] += k5[i];
      evaluate(yt, fb);
      const c61 = C61 * ih;
      const c62 = C62 * ih;
      const c63 = C63 * ih;
      const c64 = C64 * ih;
      const c65 = C65 * ih;
      for (let i = 0; i < N; i++) fb[i] += c61 * k1[i] + c62 * k2[i] + c63 * k3[i] + c64 * k4[i] + c65 * k5[i];
      solve(fb, k6, h);
      for (let i = 0; i < N; i++) {
        ynew[i] = yt[i] + k6[i];
        error[i] = k6[i];
      }
      return true;
    },
  };
}

/** y[oy..oy+len) += alpha · x[ox..ox+len). */
function axpy(y: Float64Array, oy: number, alpha: number, x: Float64Array, ox: number, len: number): void {
  if (alpha === 0) return;
  for (let i = 0; i < len; i++) y[oy + i] += alpha * x[ox + i];
}

/** In-place LU with partial pivoting of the n × n row-major matrix; false if singular or not finite. Exported for its tests. */
export function luFactor(M: Float64Array, n: number, pivots: Int32Array): boolean {
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(M[col * n + col]);
    for (let row = col + 1; row < n; row++) {
      const v = Math.abs(M[row * n + col]);
      if (v > best) {
        best = v;
        piv = row;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return false;
    pivots[col] = piv;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t = M[col * n + j];
        M[col * n + j] = M[piv * n + j];
        M[piv * n + j] = t;
      }
    }
    const inv = 1 / M[col * n + col];
    for (let row = col + 1; row < n; row++) {
      const f = M[row * n + col] * inv;
      M[row * n + col] = f;
      if (f === 0) continue;
      for (let j = col + 1; j < n; j++) M[row * n + j] -= f * M[col * n + j];
    }
  }
  // A non-finite entry off the pivots' path (or an overflow) leaves Inf/NaN in L or U, not in a pivot: refused too.
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(M[i])) return false;
  return true;
}

/** Solves M x = v in place with the LU from {@link luFactor}. Exported for its tests. */
export function luSolve(M: Float64Array, n: number, pivots: Int32Array, v: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const p = pivots[i];
    if (p !== i) {
      const t = v[i];
      v[i] = v[p];
      v[p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let acc = v[i];
    for (let j = 0; j < i; j++) acc -= M[i * n + j] * v[j];
    v[i] = acc;
  }
  for (let i = n - 1; i >= 0; i--) {
    let acc = v[i];
    for (let j = i + 1; j < n; j++) acc -= M[i * n + j] * v[j];
    v[i] = acc / M[i * n + i];
  }
}

/**
 * Inverts the n × n row-major matrix M into out by Gauss–Jordan elimination with partial pivoting (M is destroyed);
 * false when singular or when the inverse is not finite. Exported for its tests.
 */
export function invertSmall(M: Float64Array, out: Float64Array, n: number): boolean {
  out.fill(0);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let piv = col;
    let best = Math.abs(M[col * n + col]);
    for (let row = col + 1; row < n; row++) {
      const v = Math.abs(M[row * n + col]);
      if (v > best) {
        best = v;
        piv = row;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) return false;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t1 = M[col * n + j];
        M[col * n + j] = M[piv * n + j];
        M[piv * n + j] = t1;
        const t2 = out[col * n + j];
        out[col * n + j] = out[piv * n + j];
        out[piv * n + j] = t2;
      }
    }
    const inv = 1 / M[col * n + col];
    for (let j = 0; j < n; j++) {
      M[col * n + j] *= inv;
      out[col * n + j] *= inv;
    }
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const f = M[row * n + col];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        M[row * n + j] -= f * M[col * n + j];
        out[row * n + j] -= f * out[col * n + j];
      }
    }
  }
  // A non-finite entry off the pivots' path (or an overflow) gives an Inf/NaN inverse with finite pivots: refused too.
  for (let i = 0; i < n * n; i++) if (!Number.isFinite(out[i])) return false;
  return true;
}

/**
 * Integrates the vector-form ODEs of Refinetti & Goldt 2022 (docs/theory-refinetti2022.md (E12)) with classical RK4 at
 * a fixed step, with the adaptive embedded Dormand–Prince 5(4) pair, with the stiff Rosenbrock method RODAS4
 * (`rosenbrockStepper.ts`), or with Dormand–Prince switching to RODAS4 once its step is limited by stability ('auto').
 * The adaptive methods control the error per step in a mixed absolute/relative RMS norm with atol = rtol = `tolerance`.
 * Time t = SGD steps / D. The right-hand side allocates nothing.
 */
import { z } from 'zod';
import { DivergenceError, ValidationError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import type { Spectrum } from '../../core/spectrum.ts';
import { type ActivationIntegrals, activationLabel, type OdeActivation, resolveActivation } from './odeActivation.ts';
import { cloneOdeState, type OdeState, validateOdeState } from './odeState.ts';
import {
  checkSpectrumMatchesState,
  kappaOf,
  type OrderParameters,
  orderParametersFromState,
} from './orderParameters.ts';
import { testError } from './testError.ts';
import { createRosenbrockStepper, RODAS4_EMBEDDED_ORDER } from './rosenbrockStepper.ts';
import { createVectorField, type OdeRule } from './vectorField.ts';

/**
 * Integration methods: 'adaptive' (Dormand–Prince 5(4)), 'rk4' (fixed step), 'rosenbrock' (RODAS4, stiff, with the
 * exact structured Jacobian; see `rosenbrockStepper.ts`), 'auto' (Dormand–Prince until its step is limited by
 * stability, then RODAS4; the switch uses Hairer's stiffness test of DOPRI5).
 */
export type OdeMethod = 'rk4' | 'adaptive' | 'rosenbrock' | 'auto';
/** The accepted method names (for validation messages). */
export const ODE_METHODS = ['adaptive', 'rk4', 'rosenbrock', 'auto'] as const;

/** Options of {@link integrateOde}. */
export interface IntegrateOdeOptions {
  /** Eigenvalues ρ_τ (one per state direction) and the input dimension D. */
  spectrum: Pick<Spectrum, 'dim' | 'values'>;
  /** Activation g: 'linear', 'erf' (erf(x/√2)), 'relu', or { expression } for a smooth custom g. */
  activation: OdeActivation;
  /** 'vanilla' (A(k) = all units) or 'truncated' (A(k) = {1..k}). */
  rule: OdeRule;
  /** η (encoder lr η/D, decoder lr η in the SGD it describes). */
  learningRate: number;
  /** State at t = 0. */
  initial: OdeState;
  /** Output times, non-decreasing, ≥ 0 (in units of SGD steps / D). */
  times: readonly number[];
  /**
   * 'adaptive' (default; Dormand–Prince 5(4)), 'rk4' (fixed step), 'rosenbrock' (RODAS4 4(3), L-stable: for long
   * runs, where the explicit step is limited by stability; not with `trainBias`) or 'auto' (Dormand–Prince, switching
   * to RODAS4 for good once Dormand–Prince's step is limited by stability; not with `trainBias`).
   */
  method?: OdeMethod;
  /** Adaptive and Rosenbrock: atol = rtol per step (default 1e-8). */
  tolerance?: number;
  /** RK4: the step (default 0.01); adaptive and Rosenbrock: the first trial step (default: Hairer's estimate). */
  step?: number;
  /**
   * Tied weights: not covered by the theory (the authors' code has no tied ODE, docs/theory-refinetti2022.md (K7));
   * must be false.
   */
  tied?: boolean;
  /**
   * Train the effective encoder bias β = b/√D (learning rate η on b, docs/theory-refinetti2022.md (E3)), starting from
   * `initial.bias` or 0. A bias in `initial` without `trainBias` stays fixed. Every activation: the biased integrals
   * are Gauss–Hermite quadratures for smooth ones and a split 1-D rule for ReLU (`biasIntegrals.ts`), so a biased run
   * is slower.
   */
  trainBias?: boolean;
  /** TrΩ/D over all D directions (default Σ_τ ρ_τ / D over the listed directions). */
  traceOmegaOverD?: number;
  /** Largest number of steps (default 10⁷); more throws a DivergenceError. */
  maxSteps?: number;
  /** Called with (t, t_end). */
  progress?: Progress;
}

/** What {@link integrateOde} returns, one entry per output time. */
export interface OdeTrajectory {
  times: number[];
  states: OdeState[];
  /** ε(t) = (1/2D) E‖x − x̂‖². */
  error: number[];
  orderParameters: OrderParameters[];
  /**
   * Accepted steps, rejected steps and right-hand-side evaluations; for 'rosenbrock' also Jacobian evaluations and
   * stage-matrix set-ups.
   */
  stats: {
    steps: number;
    rejected: number;
    evaluations: number;
    jacobians?: number;
    factorizations?: number;
    /** 'auto': the time at which it switched from Dormand–Prince to RODAS4 (absent if it never did). */
    switchedAt?: number;
  };
}

/** Default tolerance of the adaptive method. */
export const DEFAULT_TOLERANCE = 1e-8;
/** Default RK4 step. */
export const DEFAULT_RK4_STEP = 0.01;
const DEFAULT_MAX_STEPS = 10_000_000;
/** Step-size safety factor and growth limits of the controller (Hairer, Nørsett & Wanner II.4). */
const SAFETY = 0.9;
const MAX_GROWTH = 5;
const MIN_SHRINK = 0.2;
/** Stiffness test of DOPRI5 (Hairer, Nørsett & Wanner I, §II.10): |hλ| beyond ≈ 3.3 is outside DP5's stability region. */
const DP_STABILITY_BOUNDARY = 3.25;
const STIFF_STREAK = 15;
const NONSTIFF_RESET = 6;

/**
 * The name of the state's component i in a DivergenceError: the state is y = (a, b, β), with kn = K·n entries in each
 * of a and b and K in β. Exported for its tests (a run in which b or β overflows while a stays finite is hard to make).
 */
export function stateComponentName(i: number, kn: number): string {
  return i < kn ? 'a (encoder projection)' : i < 2 * kn ? 'b (decoder projection)' : 'β (encoder bias)';
}

/** Below this trial step (relative to max(1, t)) a non-finite trial ends the run as diverged instead of shrinking h. */
export const NEGLIGIBLE_TRIAL_STEP = 1e-12;
/** Below this proposed step (relative to max(1, t)) a rejected step ends the run as diverged ('step size'). */
export const MIN_PROPOSED_STEP = 1e-14;

/**
 * The step below which integrateOde stops: scale·max(1, t). Relative to t beyond t = 1 because t + h keeps only the
 * digits of h above t's last bit (about 2.2e-16·t), so a fixed floor would let a run at large t take steps that do not
 * advance it; absolute up to t = 1 so that a run near t = 0 is not allowed ever smaller steps. Exported for its tests.
 */
export function stepFloor(scale: number, t: number): number {
  return scale * Math.max(1, t);
}

const optionsSchema = z.object({
  rule: z.enum(['vanilla', 'truncated']),
  learningRate: z.number().positive().finite(),
  times: z.array(z.number().min(0).finite()).min(1),
  method: z.enum(ODE_METHODS).optional(),
  tolerance: z.number().positive().max(1e-2).optional(),
  step: z.number().positive().finite().optional(),
  tied: z.boolean().optional(),
  trainBias: z.boolean().optional(),
  traceOmegaOverD: z.number().finite().optional(),
  maxSteps: z.number().int().positive().optional(),
});

/** zod's message without its "Invalid input: expected …" preamble (theory must not import claims/, so no shared helper). */
function zodExpected(message: string): string {
  return message.replace(/^Invalid (input|option|value):\s*/i, '').replace(/^expected /, '');
}

function validate(options: IntegrateOdeOptions): void {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue.path.map(String).join('.');
    const received = issue.path.reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k as string], options);
    throw new ValidationError({
      field: key,
      received,
      expected: zodExpected(issue.message),
      hint: key === 'tolerance' ? 'use e.g. 1e-8' : undefined,
    });
  }
  for (let i = 1; i < options.times.length; i++) {
    if (options.times[i] < options.times[i - 1]) {
      throw new ValidationError({
        field: `times[${i}]`,
        received: options.times[i],
        expected: `a time ≥ times[${i - 1}] = ${options.times[i - 1]} (non-decreasing)`,
        hint: 'sort the output times',
      });
    }
  }
  if ((options.method === 'rosenbrock' || options.method === 'auto') && options.trainBias) {
    throw new ValidationError({
      field: 'method',
      received: options.method,
      expected: "'adaptive' or 'rk4' when trainBias is true",
      hint: 'the Rosenbrock integrator handles no bias or a fixed bias; integrate a trained bias with method "adaptive"',
    });
  }
  if (options.tied) {
    throw new ValidationError({
      field: 'tied',
      received: true,
      expected: 'false',
      hint: 'the ODEs cover untied weights only (the authors give no tied theory, docs/theory-refinetti2022.md (K7)); simulate tied weights instead',
    });
  }
  validateOdeState(options.initial);
  checkSpectrumMatchesState(options.initial, options.spectrum);
  for (let i = 0; i < options.spectrum.values.length; i++) {
    const v = options.spectrum.values[i];
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new ValidationError({
        field: `spectrum.values[${i}]`,
        received: v,
        expected: 'a finite eigenvalue ≥ 0 (Ω is a covariance)',
      });
    }
  }
}

/** Dormand–Prince 5(4) tableau. */
const A21 = 1 / 5;
const A31 = 3 / 40;
const A32 = 9 / 40;
const A41 = 44 / 45;
const A42 = -56 / 15;
const A43 = 32 / 9;
const A51 = 19372 / 6561;
const A52 = -25360 / 2187;
const A53 = 64448 / 6561;
const A54 = -212 / 729;
const A61 = 9017 / 3168;
const A62 = -355 / 33;
const A63 = 46732 / 5247;
const A64 = 49 / 176;
const A65 = -5103 / 18656;
const B1 = 35 / 384;
const B3 = 500 / 1113;
const B4 = 125 / 192;
const B5 = -2187 / 6784;
const B6 = 11 / 84;
const E1 = 71 / 57600;
const E3 = -71 / 16695;
const E4 = 71 / 1920;
const E5 = -17253 / 339200;
const E6 = 22 / 525;
const E7 = -1 / 40;

/** Integrates the vector-form ODEs and returns the state, ε and the order parameters at each output time. */
export function integrateOde(options: IntegrateOdeOptions): OdeTrajectory {
  validate(options);
  const { spectrum, rule, learningRate, initial, times } = options;
  const activation: ActivationIntegrals = resolveActivation(options.activation);
  const method = options.method ?? 'adaptive';
  const tol = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const K = initial.hidden;
  const n = initial.directions;
  const kn = K * n;
  let traceSum = 0;
  for (let i = 0; i < n; i++) traceSum += spectrum.values[i];
  const traceOmegaOverD = options.traceOmegaOverD ?? traceSum / spectrum.dim;
  const biasMode = options.trainBias ? 'trained' : initial.bias ? 'fixed' : 'none';
  const field = createVectorField({
    hidden: K,
    directions: n,
    kappa: kappaOf(spectrum as Spectrum),
    activation,
    rule,
    learningRate,
    bias: biasMode,
  });
  const size = field.size;
  const rosenbrock =
    method === 'rosenbrock' || method === 'auto'
      ? createRosenbrockStepper({
          field,
          hidden: K,
          directions: n,
          kappa: kappaOf(spectrum as Spectrum),
          learningRate,
          truncated: rule === 'truncated',
          fixedBias: biasMode === 'fixed',
        })
      : undefined;
  /** RODAS4 in use: from the start ('rosenbrock') or once Dormand–Prince is found stability-limited ('auto'). */
  let stiffMode = method === 'rosenbrock';
  /** Exponent of the step-size controller: −1/(q + 1) with q the lower order of the embedded pair. */
  let controllerExponent = stiffMode ? -1 / (RODAS4_EMBEDDED_ORDER + 1) : -0.2;
  let newPoint = true;
  // Hairer's DOPRI5 stiffness test: h·|λ| estimated from the last two stages; STIFF_STREAK accepted steps in a row
  // beyond the stability boundary (h|λ| > 3.25) switch to RODAS4; NONSTIFF_RESET steps inside reset the count.
  let stiffStreak = 0;
  let nonStiffStreak = 0;
  /** Time at which 'auto' switched to RODAS4 (undefined: never). */
  let switchedAt: number | undefined;
  const y = new Float64Array(size);
  y.set(initial.a, 0);
  y.set(initial.b, kn);
  if (biasMode !== 'none' && initial.bias) y.set(initial.bias, 2 * kn);
  const config = {
    activation: activationLabel(options.activation),
    rule,
    learningRate,
    method,
    tolerance: tol,
    hidden: K,
    directions: n,
    dim: spectrum.dim,
  };
  const out: OdeTrajectory = {
    times: [],
    states: [],
    error: [],
    orderParameters: [],
    stats: { steps: 0, rejected: 0, evaluations: 0 },
  };
  const record = (t: number): void => {
    const state: OdeState = { hidden: K, directions: n, a: y.slice(0, kn), b: y.slice(kn, 2 * kn) };
    if (biasMode !== 'none') state.bias = y.slice(2 * kn, 2 * kn + K);
    const op = orderParametersFromState(state, spectrum as Spectrum);
    const eps = testError({ ...op, traceOmegaOverD, activation, bias: state.bias });
    if (!Number.isFinite(eps)) throw new DivergenceError({ step: t, quantity: 'epsilon', value: eps, config });
    out.times.push(t);
    out.states.push(cloneOdeState(state));
    out.error.push(eps);
    out.orderParameters.push(op);
  };
  const checkFinite = (t: number): void => {
    for (let i = 0; i < size; i++) {
      if (!Number.isFinite(y[i])) {
        throw new DivergenceError({
          step: t,
          quantity: stateComponentName(i, kn),
          value: y[i],
          config,
        });
      }
    }
  };
  const tEnd = times[times.length - 1];
  const progress = options.progress;
  const k1 = new Float64Array(size);
  const k2 = new Float64Array(size);
  const k3 = new Float64Array(size);
  const k4 = new Float64Array(size);
  const k5 = new Float64Array(size);
  const k6 = new Float64Array(size);
  const k7 = new Float64Array(size);
  const tmp = new Float64Array(size);
  const ynew = new Float64Array(size);
  let t = 0;
  const stats = out.stats;

  const rk4Step = (h: number): void => {
    field.evaluate(y, k1);
    for (let i = 0; i < size; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
    field.evaluate(tmp, k2);
    for (let i = 0; i < size; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
    field.evaluate(tmp, k3);
    for (let i = 0; i < size; i++) tmp[i] = y[i] + h * k3[i];
    field.evaluate(tmp, k4);
    for (let i = 0; i < size; i++) y[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    stats.evaluations += 4;
    stats.steps++;
  };

  // Adaptive state: k1 holds f(y) (first-same-as-last).
  let fsalValid = false;
  let hProposed = options.step ?? 0;
  const rmsNorm = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < size; i++) {
      const w = v[i] / (tol + tol * Math.abs(y[i]));
      s += w * w;
    }
    return Math.sqrt(s / size);
  };
  const initialStep = (tTarget: number): number => {
    field.evaluate(y, k1);
    stats.evaluations++;
    fsalValid = true;
    const d0 = rmsNorm(y);
    const d1 = rmsNorm(k1);
    let h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : (0.01 * d0) / d1;
    h0 = Math.min(h0, tTarget - t);
    for (let i = 0; i < size; i++) tmp[i] = y[i] + h0 * k1[i];
    field.evaluate(tmp, k2);
    stats.evaluations++;
    for (let i = 0; i < size; i++) k2[i] -= k1[i];
    const d2 = rmsNorm(k2) / h0;
    const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** (1 / 5);
    return Math.min(100 * h0, h1);
  };
  /** One Dormand–Prince attempt of size h from (t, y); returns the scaled error norm; ynew and k7 hold the result. */
  const dpAttempt = (h: number): number => {
    if (!fsalValid) {
      field.evaluate(y, k1);
      stats.evaluations++;
      fsalValid = true;
    }
    // Coefficients times h, hoisted (V8 does not reliably move them out of the loops).
    const c21 = h * A21;
    for (let i = 0; i < size; i++) tmp[i] = y[i] + c21 * k1[i];
    field.evaluate(tmp, k2);
    const c31 = h * A31;
    const c32 = h * A32;
    for (let i = 0; i < size; i++) tmp[i] = y[i] + c31 * k1[i] + c32 * k2[i];
    field.evaluate(tmp, k3);
    const c41 = h * A41;
    const c42 = h * A42;
    const c43 = h * A43;
    for (let i = 0; i < size; i++) tmp[i] = y[i] + c41 * k1[i] + c42 * k2[i] + c43 * k3[i];
    field.evaluate(tmp, k4);
    const c51 = h * A51;
    const c52 = h * A52;
    const c53 = h * A53;
    const c54 = h * A54;
    for (let i = 0; i < size; i++) tmp[i] = y[i] + c51 * k1[i] + c52 * k2[i] + c53 * k3[i] + c54 * k4[i];
    field.evaluate(tmp, k5);
    const c61 = h * A61;
    const c62 = h * A62;
    const c63 = h * A63;
    const c64 = h * A64;
    const c65 = h * A65;
    for (let i = 0; i < size; i++) tmp[i] = y[i] + c61 * k1[i] + c62 * k2[i] + c63 * k3[i] + c64 * k4[i] + c65 * k5[i];
    field.evaluate(tmp, k6);
    const b1 = h * B1;
    const b3 = h * B3;
    const b4 = h * B4;
    const b5 = h * B5;
    const b6 = h * B6;
    for (let i = 0; i < size; i++) ynew[i] = y[i] + b1 * k1[i] + b3 * k3[i] + b4 * k4[i] + b5 * k5[i] + b6 * k6[i];
    field.evaluate(ynew, k7);
    stats.evaluations += 6;
    const e1 = h * E1;
    const e3 = h * E3;
    const e4 = h * E4;
    const e5 = h * E5;
    const e6 = h * E6;
    const e7 = h * E7;
    let s = 0;
    for (let i = 0; i < size; i++) {
      const err = e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i];
      const sc = tol + tol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
      const w = err / sc;
      s += w * w;
    }
    return Math.sqrt(s / size);
  };

  /**
   * After an accepted Dormand–Prince step: is the step limited by stability? h|λ| ≈ h‖k7 − k6‖/‖ynew − y6‖ (the
   * last two stages are evaluated at points one step apart in the direction that grows fastest, Hairer & Wanner I,
   * §II.10 and DOPRI5's stiffness test); true once it exceeded DP_STABILITY_BOUNDARY for STIFF_STREAK steps running.
   */
  const stabilityLimited = (h: number): boolean => {
    let num = 0;
    let den = 0;
    for (let i = 0; i < size; i++) {
      const dk = k7[i] - k6[i];
      const dy = ynew[i] - tmp[i];
      num += dk * dk;
      den += dy * dy;
    }
    if (den > 0 && h * Math.sqrt(num / den) > DP_STABILITY_BOUNDARY) {
      nonStiffStreak = 0;
      stiffStreak++;
    } else {
      nonStiffStreak++;
      if (nonStiffStreak >= NONSTIFF_RESET) stiffStreak = 0;
    }
    return stiffStreak >= STIFF_STREAK;
  };

  /** One RODAS4 attempt of size h from (t, y): the scaled norm of its error estimate (∞ if the stage matrix is singular). */
  const rosenbrockAttempt = (h: number): number => {
    if (!rosenbrock) return Number.POSITIVE_INFINITY;
    const ok = rosenbrock.attempt(y, h, ynew, k7, newPoint);
    newPoint = false;
    if (!ok) return Number.POSITIVE_INFINITY;
    let s = 0;
    for (let i = 0; i < size; i++) {
      const sc = tol + tol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
      const w = k7[i] / sc;
      s += w * w;
    }
    return Math.sqrt(s / size);
  };

  const advanceTo = (tTarget: number): void => {
    if (method === 'rk4') {
      const h = options.step ?? DEFAULT_RK4_STEP;
      while (t < tTarget) {
        const remaining = tTarget - t;
        // A last step shorter than h lands exactly on the output time (no interpolation).
        const hs = remaining < h * (1 + 1e-9) ? remaining : h;
        rk4Step(hs);
        t = hs === remaining ? tTarget : t + hs;
        if (stats.steps > maxSteps)
          throw new DivergenceError({ step: t, quantity: 'steps', value: stats.steps, config });
        checkFinite(t);
        progress?.(t, tEnd, 'ode');
      }
      return;
    }
    while (t < tTarget) {
      if (!(hProposed > 0)) hProposed = initialStep(tTarget);
      const remaining = tTarget - t;
      const clipped = hProposed >= remaining;
      const h = clipped ? remaining : hProposed;
      const err = stiffMode ? rosenbrockAttempt(h) : dpAttempt(h);
      if (!Number.isFinite(err)) {
        // A non-finite trial is a rejected step unless h is already negligible, or NaN (a first-step estimate from a
        // right-hand side that overflows at the start; shrinking it would loop for ever).
        if (!(h >= stepFloor(NEGLIGIBLE_TRIAL_STEP, t)))
          throw new DivergenceError({ step: t, quantity: 'ODE step error', value: err, config });
        hProposed = h * MIN_SHRINK;
        stats.rejected++;
        continue;
      }
      const factor =
        err === 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, Math.max(MIN_SHRINK, SAFETY * err ** controllerExponent));
      if (err <= 1) {
        if (!stiffMode && method === 'auto' && stabilityLimited(h)) {
          stiffMode = true;
          controllerExponent = -1 / (RODAS4_EMBEDDED_ORDER + 1);
          switchedAt = clipped ? tTarget : t + h;
        }
        y.set(ynew);
        if (stiffMode) newPoint = true;
        else k1.set(k7);
        t = clipped ? tTarget : t + h;
        stats.steps++;
        if (stats.steps > maxSteps)
          throw new DivergenceError({ step: t, quantity: 'steps', value: stats.steps, config });
        checkFinite(t);
        // A step clipped to hit an output time does not shrink the proposal.
        hProposed = clipped ? Math.max(hProposed, h * factor) : h * factor;
        progress?.(t, tEnd, 'ode');
      } else {
        stats.rejected++;
        hProposed = h * Math.min(1, factor);
        if (hProposed < stepFloor(MIN_PROPOSED_STEP, t)) {
          throw new DivergenceError({ step: t, quantity: 'step size', value: hProposed, config });
        }
      }
    }
  };

  for (const target of times) {
    advanceTo(target);
    record(target);
  }
  if (switchedAt !== undefined) stats.switchedAt = switchedAt;
  if (rosenbrock) {
    stats.evaluations += rosenbrock.stats.evaluations;
    stats.jacobians = rosenbrock.stats.jacobians;
    stats.factorizations = rosenbrock.stats.factorizations;
  }
  return out;
}

import { describe, expect, test } from 'vitest';
import { DivergenceError } from '../../core/errors.ts';
import { LOGISTIC_DIM, LOGISTIC_ETA, LOGISTIC_RHO, logisticOde } from '../../testing/logisticOde.ts';
import {
  integrateOde,
  MIN_PROPOSED_STEP,
  NEGLIGIBLE_TRIAL_STEP,
  type OdeMethod,
  stateComponentName,
  stepFloor,
} from './integrateOde.ts';
import { resolveActivation } from './odeActivation.ts';
import { createRosenbrockStepper } from './rosenbrockStepper.ts';
import { createVectorField } from './vectorField.ts';

/**
 * The step-size controller, the stiffness switch of 'auto', the recorded times and the divergence paths of
 * integrateOde, checked against an independent transcription of the textbook algorithms (Hairer, Nørsett & Wanner I,
 * §II.4 and §II.10; DOPRI5's stiffness test): Dormand–Prince 5(4) with first-same-as-last, the error in the RMS norm
 * with atol = rtol = tol and scale tol·(1 + max(|y|, |ynew|)), the factor min(5, max(0.2, 0.9·err^(−1/(q+1)))) with
 * q = 4 (Dormand–Prince) or 3 (RODAS4), a step clipped at an output time that does not shrink the proposal, and the
 * switch after 15 accepted steps beyond h|λ| = 3.25 (6 steps inside reset the count). The case is the one-unit
 * logistic one of integrateOdeExact.test.ts (K = n = 1, linear g, a = b = x).
 */
const ETA = LOGISTIC_ETA;
const D = LOGISTIC_DIM;
const RHO = LOGISTIC_RHO;

function logistic(x0 = 0.2) {
  return logisticOde(x0);
}

/** Dormand–Prince 5(4) (Hairer's DOPRI5 tableau). */
const A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
];
const B = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84];
/** Fifth- minus fourth-order weights (stage 7 = f(ynew)). */
const E = [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40];

interface Reference {
  /** t after each accepted step. */
  accepted: number[];
  rejected: number;
  switchedAt?: number;
}

/** The textbook integrator (first trial step given), on the same right-hand side and the same RODAS4 stepper. */
function reference(method: OdeMethod, x0: number, tol: number, step: number, times: number[]): Reference {
  const field = createVectorField({
    hidden: 1,
    directions: 1,
    kappa: Float64Array.from([RHO / D]),
    activation: resolveActivation('linear'),
    rule: 'vanilla',
    learningRate: ETA,
  });
  const N = field.size;
  const ros = createRosenbrockStepper({
    field,
    hidden: 1,
    directions: 1,
    kappa: Float64Array.from([RHO / D]),
    learningRate: ETA,
    truncated: false,
    fixedBias: false,
  });
  const f = (x: Float64Array): Float64Array => {
    const out = new Float64Array(N);
    field.evaluate(x, out);
    return out;
  };
  let y = Float64Array.from([x0, x0]);
  let t = 0;
  let hProp = step;
  let stiff = method === 'rosenbrock';
  let fresh = true;
  let stiffRun = 0;
  let calmRun = 0;
  const res: Reference = { accepted: [], rejected: 0 };
  const norm = (e: Float64Array, yn: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < N; i++) {
      const w = e[i] / (tol + tol * Math.max(Math.abs(y[i]), Math.abs(yn[i])));
      s += w * w;
    }
    return Math.sqrt(s / N);
  };
  for (const target of times) {
    while (t < target) {
      const clipped = hProp >= target - t;
      const h = clipped ? target - t : hProp;
      let yn = new Float64Array(N);
      let err: number;
      let hLambda = 0;
      if (stiff) {
        const e = new Float64Array(N);
        const ok = ros.attempt(y, h, yn, e, fresh);
        fresh = false;
        err = ok ? norm(e, yn) : Number.POSITIVE_INFINITY;
      } else {
        const k: Float64Array[] = [f(y)];
        let y6 = y;
        for (let s = 1; s < 6; s++) {
          const ys = y.map((v, i) => A[s].reduce((acc, a, j) => acc + h * a * k[j][i], v));
          k.push(f(ys));
          if (s === 5) y6 = ys;
        }
        yn = y.map((v, i) => B.reduce((acc, b, j) => acc + h * b * k[j][i], v));
        k.push(f(yn));
        err = norm(
          y.map((_, i) => E.reduce((acc, e, j) => acc + h * e * k[j][i], 0)),
          yn,
        );
        let num = 0;
        let den = 0;
        for (let i = 0; i < N; i++) {
          num += (k[6][i] - k[5][i]) ** 2;
          den += (yn[i] - y6[i]) ** 2;
        }
        hLambda = den > 0 ? h * Math.sqrt(num / den) : 0;
      }
      if (!Number.isFinite(err)) {
        hProp = h * 0.2;
        res.rejected++;
        continue;
      }
      const q = stiff ? 3 : 4;
      const factor = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * err ** (-1 / (q + 1))));
      if (err <= 1) {
        if (!stiff && method === 'auto') {
          if (hLambda > 3.25) {
            calmRun = 0;
            stiffRun++;
          } else if (++calmRun >= 6) stiffRun = 0;
          if (stiffRun >= 15) {
            stiff = true;
            res.switchedAt = clipped ? target : t + h;
          }
        }
        y = yn;
        fresh = true;
        t = clipped ? target : t + h;
        res.accepted.push(t);
        hProp = clipped ? Math.max(hProp, h * factor) : h * factor;
      } else {
        res.rejected++;
        hProp = h * Math.min(1, factor);
      }
    }
  }
  return res;
}

/** integrateOde's accepted-step times (from progress), rejections and switch time. */
function run(method: OdeMethod, x0: number, tolerance: number, step: number, times: number[]) {
  const accepted: number[] = [];
  const r = integrateOde({
    ...logistic(x0),
    method,
    tolerance,
    step,
    times,
    progress: (t, _end, label) => {
      expect(label).toBe('ode');
      accepted.push(t);
    },
  });
  return { r, accepted };
}

function expectSameSteps(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  // The same arithmetic in the same order (measured: equal to the last bit); 1e-9 relative is allowed.
  for (let i = 0; i < got.length; i++) {
    expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, want[i]));
  }
}

describe('integrateOde takes the steps of the textbook controller', () => {
  test.each([
    // Plateau escape, accuracy-limited; the first step 0.5 is rejected, and a step lands on each output time.
    ['adaptive', 0.2, 1e-9, 0.5, [0.5, 1, 3, 8]],
    // Tolerance loose enough for a step clipped to an output time to pass with a factor below 1.
    ['adaptive', 0.2, 1e-4, 1, [1, 2, 4, 6]],
    // Large values (x0 = 30, decaying to 1): the relative part of the scale dominates.
    ['adaptive', 30, 1e-8, 1e-4, [0.01, 1, 4]],
    ['rosenbrock', 0.2, 1e-8, 0.5, [0.5, 1, 3, 8, 50]],
    ['rosenbrock', 30, 1e-8, 1e-4, [0.01, 1, 4]],
    ['auto', 0.2, 1e-9, 0.01, [5, 50, 500]],
    ['auto', 0.2, 1e-6, 0.01, [5, 50, 500]],
  ] as const)('%s from x0 = %s at tolerance %s, first step %s, to %o', (method, x0, tol, step, times) => {
    const want = reference(method, x0, tol, step, [...times]);
    const { r, accepted } = run(method, x0, tol, step, [...times]);
    expectSameSteps(accepted, want.accepted);
    expect(r.stats.steps).toBe(want.accepted.length);
    expect(r.stats.rejected).toBe(want.rejected);
    if (want.switchedAt === undefined) expect('switchedAt' in r.stats).toBe(false);
    else
      expect(Math.abs((r.stats.switchedAt ?? Number.NaN) - want.switchedAt)).toBeLessThanOrEqual(
        1e-9 * want.switchedAt,
      );
    expect(r.times).toEqual([...times]);
  });

  test("'auto': 6 accepted steps inside the stability region reset the count of steps beyond it (no switch)", () => {
    // Converged (t ≥ 20, h|λ| at the boundary, DP5 steps ≈ 1.6): gaps of 16 between bursts of 6 output times 0.01
    // apart. Each gap has fewer than 15 steps beyond the boundary; the short step clipped onto a burst's first time and
    // the 5 tiny steps after it are exactly 6 steps inside, which reset the count (measured: a reset after 7 would
    // switch at t ≈ 37.7). Without the bursts the count reaches 15 (measured: a switch at t ≈ 42.7).
    const times: number[] = [];
    for (let j = 0; j < 5; j++) for (let i = 0; i <= 5; i++) times.push(Number((20 + 16 * j + 0.01 * i).toFixed(2)));
    const gapsOnly = times.filter((_, i) => i % 6 === 0);
    for (const [ts, switches] of [
      [times, false],
      [gapsOnly, true],
    ] as const) {
      const want = reference('auto', 0.2, 1e-6, 0.01, [...ts]);
      const { r, accepted } = run('auto', 0.2, 1e-6, 0.01, [...ts]);
      expectSameSteps(accepted, want.accepted);
      expect(r.stats.switchedAt !== undefined).toBe(switches);
      expect(want.switchedAt !== undefined).toBe(switches);
      if (switches) expect(Math.abs((r.stats.switchedAt ?? 0) - (want.switchedAt ?? 0))).toBeLessThan(1e-9 * 50);
    }
  });

  test("'auto' does not switch while Dormand–Prince is limited by accuracy (the plateau escape at tolerance 1e-12)", () => {
    const { r } = run('auto', 0.2, 1e-12, 0.01, [3]);
    expect(r.stats.steps).toBeGreaterThan(30); // more than STIFF_STREAK accepted steps, none stiff
    expect(Object.keys(r.stats).sort()).toEqual(
      ['evaluations', 'jacobians', 'factorizations', 'rejected', 'steps'].sort(),
    );
    // Dormand–Prince only: 1 evaluation of f(y0), then 6 per attempt; the RODAS4 stepper never ran.
    expect(r.stats.evaluations).toBe(1 + 6 * (r.stats.steps + r.stats.rejected));
    expect(r.stats.jacobians).toBe(0);
  });

  test("'adaptive' reports no switch, no Jacobians and no factorizations (the fields are absent)", () => {
    const { r } = run('adaptive', 0.2, 1e-8, 0.01, [2]);
    expect(Object.keys(r.stats).sort()).toEqual(['evaluations', 'rejected', 'steps']);
  });

  test('RODAS4 counts: 6 evaluations per attempt, one Jacobian per accepted step (a rejected step reuses it)', () => {
    const { r } = run('rosenbrock', 0.2, 1e-10, 2, [1, 8]);
    expect(r.stats.rejected).toBeGreaterThan(0);
    expect(r.stats.evaluations).toBe(6 * (r.stats.steps + r.stats.rejected));
    expect(r.stats.jacobians).toBe(r.stats.steps);
  });
});

describe('integrateOde: failed trial steps and divergence', () => {
  /** η = κ = 1: at a = b = 0 the Jacobian is [[0, 1], [1, 0]], so RODAS4's stage matrix I − γhJ (γ = 1/4) is singular at h = 4. */
  const unit = (x: number) => ({
    spectrum: { dim: 1, values: Float64Array.from([1]) },
    activation: 'linear' as const,
    rule: 'vanilla' as const,
    learningRate: 1,
    initial: { hidden: 1, directions: 1, a: Float64Array.from([x]), b: Float64Array.from([x]) },
  });
  const divergence = (f: () => unknown): DivergenceError => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DivergenceError);
      return e as DivergenceError;
    }
    throw new Error('no error thrown');
  };

  test('a singular RODAS4 stage matrix is a rejected step: the step shrinks by MIN_SHRINK = 0.2 and the run goes on', () => {
    // At the fixed point a = b = 0 every step has error 0, so the proposal grows by 5 from 0.8 back to the singular 4:
    // rejections at t = 0, 0.8, …, 4; from 4.8 the step is clipped to 3.2 and lands on 8.
    const accepted: number[] = [];
    const r = integrateOde({
      ...unit(0),
      method: 'rosenbrock',
      step: 4,
      times: [8],
      progress: (t) => accepted.push(t),
    });
    expectSameSteps(accepted, [0.8, 1.6, 2.4, 3.2, 4, 4.8, 8]);
    expect(r.stats.rejected).toBe(6);
    expect(r.stats.steps).toBe(7);
    // A singular stage matrix costs no evaluation; the Jacobian is evaluated once per point.
    expect(r.stats.evaluations).toBe(6 * 7);
    expect(r.stats.jacobians).toBe(7);
    expect(Array.from(r.states[0].a)).toEqual([0]);
  });

  test('a right-hand side that overflows at the start: DivergenceError on "ODE step error" at step 0 once h < 1e-12', () => {
    // a = b = 1e200 are finite, but Q = κa² is not: every trial is NaN, the step shrinks by 5 until negligible.
    const e = divergence(() => integrateOde({ ...unit(1e200), times: [1], step: 0.1 }));
    expect(e.info.step).toBe(0);
    expect(e.info.quantity).toBe('ODE step error');
    expect(e.info.value).toBeNaN();
    expect(e.info.config).toMatchObject({ method: 'adaptive', tolerance: 1e-8, hidden: 1, directions: 1, dim: 1 });
    expect(e.message).toMatch(/^Run diverged at step 0: ODE step error = NaN with config /);
  });

  test('a right-hand side finite at y but overflowing at every trial stage: "ODE step error" at h < 1e-12, t = 0', () => {
    // a = b = 1e100: f ≈ −x³ = −1e300 is finite, the stages y + c·h·f overflow for every h above ≈ 1e-200.
    const e = divergence(() => integrateOde({ ...unit(1e100), times: [1], step: 0.1 }));
    expect(e.info.step).toBe(0);
    expect(e.info.quantity).toBe('ODE step error');
  });

  test.each(['adaptive', 'auto', 'rosenbrock'] as const)(
    '%s without a first step: the same DivergenceError (the first-step estimate is NaN then), not an endless loop',
    (method) => {
      const e = divergence(() => integrateOde({ ...unit(1e200), times: [1], method }));
      expect(e.info.step).toBe(0);
      expect(e.info.quantity).toBe('ODE step error');
      expect(e.info.config).toMatchObject({ method });
    },
  );

  test('a step too small for the error (h < 1e-14 at t ≤ 1) throws a DivergenceError on "step size"', () => {
    // a = b = 1e7: f ≈ −ηκx³ = −1e21 and |λ| ≈ 3e14, so the accuracy asks for h ≈ 1e-16 (measured: the proposal falls
    // to 2.0e-15 after rejections). maxSteps = 1000 stops a run that would go on with such steps.
    const e = divergence(() => integrateOde({ ...unit(1e7), times: [1], maxSteps: 1000 }));
    expect(e.info.step).toBe(0);
    expect(e.info.quantity).toBe('step size');
    expect(e.info.value).toBeLessThan(1e-14);
    expect(e.info.value).toBeGreaterThan(0);
    expect(e.info.config).toMatchObject({ method: 'adaptive' });
    expect(e.message).toMatch(/^Run diverged at step 0: step size = /);
  });
});

describe('integrateOde RK4: progress and output times', () => {
  test('progress is called after every step with (t, t_end, "ode"), the last call exactly at t_end', () => {
    const calls: [number, number, string | undefined][] = [];
    const r = integrateOde({
      ...logistic(),
      method: 'rk4',
      step: 0.1,
      times: [0.7, 1.3],
      progress: (t, end, label) => calls.push([t, end, label]),
    });
    expect(calls.length).toBe(r.stats.steps);
    expect(calls.every(([, end, label]) => end === 1.3 && label === 'ode')).toBe(true);
    // The steps that end an output time land on it exactly, so no extra sliver of a step follows.
    expect(calls.map(([t]) => t)).toContain(0.7);
    expect(calls[calls.length - 1][0]).toBe(1.3);
    expect(r.stats.steps).toBe(7 + 6);
  });

  test.each([
    // t + (t_end − t) rounds above t_end: the step still ends exactly at t_end.
    [[0.01, 0.026], 2],
    // t + (t_end − t) rounds below t_end: no extra sliver of a step (3.5e-18) follows.
    [[0.013, 0.0287], 2],
  ])('RK4 from output time %o: a last step shorter than h lands exactly on the next one (%i steps)', (times, steps) => {
    const calls: number[] = [];
    const r = integrateOde({ ...logistic(), method: 'rk4', step: 0.1, times, progress: (t) => calls.push(t) });
    expect(calls).toEqual(times);
    expect(r.stats.steps).toBe(steps);
  });
});

describe('integrateOde: names of state components and the step floors', () => {
  test('a DivergenceError names the component that overflowed: a, then b, then β in the state (a, b, β)', () => {
    // K·n = 6: indices 0–5 are a, 6–11 are b, 12 onwards the K biases. Every boundary is checked on both sides.
    const kn = 6;
    const names = [0, 5, 6, 11, 12, 14].map((i) => stateComponentName(i, kn));
    expect(names).toEqual([
      'a (encoder projection)',
      'a (encoder projection)',
      'b (decoder projection)',
      'b (decoder projection)',
      'β (encoder bias)',
      'β (encoder bias)',
    ]);
    expect(stateComponentName(1, 1)).toBe('b (decoder projection)');
    expect(stateComponentName(2, 1)).toBe('β (encoder bias)');
  });

  test('the step floors are absolute up to t = 1 and relative to t beyond (t + h must keep h’s digits)', () => {
    expect(NEGLIGIBLE_TRIAL_STEP).toBe(1e-12);
    expect(MIN_PROPOSED_STEP).toBe(1e-14);
    for (const t of [0, 0.25, 1]) expect(stepFloor(1e-12, t)).toBe(1e-12);
    expect(stepFloor(1e-12, 4)).toBe(4e-12);
    expect(stepFloor(1e-14, 1e6)).toBeCloseTo(1e-8, 22);
    // At t = 1e6 a step of 1e-14·max(1, t) = 1e-8 is still resolved by t + h (t's last bit is about 1.2e-10).
    expect(1e6 + stepFloor(1e-14, 1e6)).toBeGreaterThan(1e6);
  });
});

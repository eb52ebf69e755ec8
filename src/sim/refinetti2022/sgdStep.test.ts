/**
 * The online-SGD step against the update rule written out by hand (Refinetti & Goldt 2022; docs/refinetti2022-sim.md):
 * a few steps of `onlineSgd` on the reference kernel must give the weights that the formulas of the module comment of
 * `onlineSgd.ts` give on the same samples, computed here with plain loops, eagerly, in a different summation order.
 * The two agree to round-off (relative 1e-12), so any change to a term of the rule, to the lazy encoder update or to
 * the loops' tails (odd and even D) shows. The samples are redrawn here from an identically seeded stream with the
 * data module's own samplers.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../core/rng.ts';
import { erf, SQRT2_OVER_PI } from '../../core/special.ts';
import { createGaussianSource, type GaussianSource, sampleGaussianSource } from '../../data/gaussianSource.ts';
import { createImageSource, type ImageSource, sampleImageSource } from '../../data/imageSource.ts';
import { spikedCovariance } from '../../data/spikedCovariance.ts';
import { getKernelSet } from '../../kernels/registry.ts';
import { onlineSgd, type SimActivation } from './onlineSgd.ts';
import { type AutoencoderWeights, initialWeights } from './weights.ts';

const reference = await getKernelSet('reference');

type Variant = 'vanilla' | 'truncated' | 'tiedFull' | 'tiedEncoderPath' | 'bias';

const g = (act: SimActivation, l: number): number =>
  act === 'linear' ? l : act === 'erf' ? erf(l / Math.SQRT2) : Math.max(l, 0);
const dg = (act: SimActivation, l: number): number =>
  act === 'linear' ? 1 : act === 'erf' ? SQRT2_OVER_PI * Math.exp(-(l * l) / 2) : l > 0 ? 1 : 0;
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** One step of the rule on sample x, eagerly, in place: w, v are arrays of rows, beta the effective bias. */
function handStep(
  w: Float64Array[],
  v: Float64Array[],
  beta: Float64Array | undefined,
  x: Float64Array,
  act: SimActivation,
  variant: Variant,
  eta: number,
): void {
  const K = w.length;
  const D = x.length;
  const tied = variant === 'tiedFull' || variant === 'tiedEncoderPath';
  const dec = tied ? w : v;
  const lam = w.map((wk, k) => dot(wk, x) / Math.sqrt(D) + (beta ? beta[k] : 0));
  const h = lam.map((l) => g(act, l));
  // r_k: the full residual, or (truncated) the residual of units a ≤ k only.
  const residual = (upTo: number): Float64Array => {
    const r = Float64Array.from(x);
    for (let a = 0; a <= upTo; a++) for (let i = 0; i < D; i++) r[i] -= dec[a][i] * h[a];
    return r;
  };
  const rs = Array.from({ length: K }, (_, k) => residual(variant === 'truncated' ? k : K - 1));
  const dw = w.map(() => new Float64Array(D));
  const dv = w.map(() => new Float64Array(D));
  const db = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const r = rs[k];
    const vr = dot(dec[k], r);
    for (let i = 0; i < D; i++) {
      if (variant === 'tiedFull') dw[k][i] = (eta / D) * (h[k] * r[i] + dg(act, lam[k]) * (vr / Math.sqrt(D)) * x[i]);
      else if (variant === 'tiedEncoderPath') dw[k][i] = (eta / D) * dg(act, lam[k]) * (vr / Math.sqrt(D)) * x[i];
      else {
        dv[k][i] = (eta / D) * h[k] * r[i];
        dw[k][i] = (eta / (D * D)) * dg(act, lam[k]) * (vr / Math.sqrt(D)) * x[i];
      }
    }
    db[k] = (eta / (D * D)) * dg(act, lam[k]) * vr;
  }
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < D; i++) {
      w[k][i] += dw[k][i];
      if (!tied) v[k][i] += dv[k][i];
    }
    if (beta) beta[k] += db[k];
  }
}

const rows = (flat: Float64Array, K: number, D: number): Float64Array[] =>
  Array.from({ length: K }, (_, k) => Float64Array.from(flat.subarray(k * D, (k + 1) * D)));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(
      1e-12 * Math.max(scale, 1e-300),
    );
  }
}

interface Case {
  D: number;
  K: number;
  act: SimActivation;
  variant: Variant;
  eta: number;
}

/** Runs `steps` steps with onlineSgd and by hand from the same weights and samples; compares W, V and β. */
function compare(
  c: Case,
  steps: number,
  source: GaussianSource | ImageSource,
  draw: (rng: Rng, x: Float64Array) => void,
  extra: { testSet?: Float64Array; engine?: 'js' } = {},
): void {
  const { D, K, act, variant, eta } = c;
  const tied = variant === 'tiedFull' || variant === 'tiedEncoderPath';
  const initial: AutoencoderWeights = initialWeights({
    hidden: K,
    dim: D,
    rng: createRng(11),
    initialScale: 0.8,
    bias: variant === 'bias',
  });
  const run = onlineSgd({
    kernels: reference,
    source,
    activation: act,
    learningRate: eta,
    initial,
    times: [0, steps / D],
    rng: createRng(2024),
    rule: variant === 'truncated' ? 'truncated' : 'vanilla',
    tied,
    tiedGradient: variant === 'tiedEncoderPath' ? 'encoderPath' : 'full',
    measureError: false,
    orderParameters: false,
    ...extra,
  });
  expect(run.steps).toBe(steps);
  const w = rows(initial.W, K, D);
  const v = rows(initial.V, K, D);
  const beta = initial.bias ? Float64Array.from(initial.bias) : undefined;
  const rng = createRng(2024);
  const x = new Float64Array(D);
  for (let s = 0; s < steps; s++) {
    draw(rng, x);
    handStep(w, v, beta, x, act, variant, eta);
  }
  const label = `${act} ${variant} D=${D} K=${K}`;
  expectClose(run.weights.W, Float64Array.from(w.flatMap((r) => Array.from(r))), `${label} W`);
  if (!tied) expectClose(run.weights.V, Float64Array.from(v.flatMap((r) => Array.from(r))), `${label} V`);
  else expectClose(run.weights.V, initial.V, `${label} V (unused when tied, unchanged)`);
  if (beta) expectClose(run.weights.bias ?? new Float64Array(0), beta, `${label} β`);
}

describe('online SGD step against the rule written out by hand', () => {
  const activations: SimActivation[] = ['linear', 'erf', 'relu'];
  const variants: Variant[] = ['vanilla', 'truncated', 'tiedFull', 'tiedEncoderPath', 'bias'];
  for (const D of [7, 10]) {
    const source = spikedCovariance({ dim: D, spikes: 2, rng: createRng(5).fork('data') });
    const z = new Float64Array(2);
    for (const act of activations) {
      for (const variant of variants) {
        it(`${act}, ${variant}, D = ${D}: 3 steps on a spiked Gaussian give the hand-computed weights`, () => {
          compare({ D, K: 3, act, variant, eta: 1.7 }, 3, source, (rng, x) => sampleGaussianSource(source, rng, x, z));
        });
      }
    }
  }

  it('a Gaussian source without bulk (n = D, β = 0) draws only along its directions', () => {
    const D = 5;
    // An orthonormal basis: the standard one, rotated in the (0, 1) plane.
    const basis = new Float64Array(D * D);
    for (let i = 0; i < D; i++) basis[i * D + i] = 1;
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    basis.set([c, s], 0);
    basis.set([-s, c], D);
    const source = createGaussianSource({ dim: D, values: Float64Array.from([3, 2, 1.5, 1, 0.5]), basis });
    expect(source.bulk).toBe(0);
    const z = new Float64Array(D);
    compare({ D, K: 2, act: 'erf', variant: 'vanilla', eta: 1.3 }, 4, source, (rng, x) =>
      sampleGaussianSource(source, rng, x, z),
    );
  });

  it('an image source: each step takes a training image uniformly at random', () => {
    const D = 6;
    const images = Float64Array.from({ length: 9 * D }, (_, i) => Math.sin(0.7 * i + 1) * 1.5);
    const source = createImageSource(images, D, 'nine images');
    const testSet = Float64Array.from({ length: 3 * D }, (_, i) => Math.cos(i));
    for (const variant of ['vanilla', 'truncated', 'tiedFull'] as const) {
      compare({ D, K: 2, act: 'relu', variant, eta: 0.9 }, 5, source, (rng, x) => sampleImageSource(source, rng, x), {
        testSet,
      });
    }
  });

  it("the engine option 'js' runs the reference kernel, with the same result", () => {
    const D = 9;
    const source = spikedCovariance({ dim: D, spikes: 1, rng: createRng(8) });
    const z = new Float64Array(1);
    compare(
      { D, K: 2, act: 'erf', variant: 'bias', eta: 2 },
      3,
      source,
      (rng, x) => sampleGaussianSource(source, rng, x, z),
      { engine: 'js' },
    );
  });
});

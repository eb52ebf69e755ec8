import { describe, expect, test } from 'vitest';
import { createRng } from '../../core/rng.ts';
import type { OnlineSgdArgs, SgdActivation } from '../kernelSpecs.ts';
import { getKernelSet } from '../registry.ts';
import { onlineSgdStepper as referenceStepper } from './onlineSgd.ts';

/**
 * The reference online-SGD kernel's sampling and activation conventions, checked against their definitions (mutation
 * testing found them unchecked: every other test draws with a bulk variance β > 0, uses the Gaussian sampler, and never
 * meets λ = 0 exactly).
 *
 * The Gaussian sampler draws x = √β ξ + Σ_τ a_τ z_τ e_τ: D bulk normals ξ only when β > 0, then the n normals z, from the
 * stepper's random stream. A `draw` sampler brings its own samples. ReLU's derivative at λ = 0 is taken as 0.
 */
const D = 6;
const K = 2;

function network(W: number[], V: number[]) {
  return { hidden: K, dim: D, W: Float64Array.from(W), V: Float64Array.from(V) };
}

function args(sampler: OnlineSgdArgs['sampler'], seed: number, activation: SgdActivation, W: number[], V: number[]) {
  return {
    network: network(W, V),
    sampler,
    rng: createRng(seed),
    activation,
    truncated: false,
    tied: false,
    tiedFull: false,
    trainBias: false,
    learningRate: 0.5,
  } satisfies OnlineSgdArgs;
}

const W0 = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2, -0.1, 0.6, 0.2, -0.3, 0.1, 0.4];
const V0 = [0.2, 0.1, -0.3, 0.4, 0.1, -0.2, 0.5, -0.1, 0.2, 0.3, -0.4, 0.1];

// The wasm kernel performs the same operations in the same order, so it is held to the same definitions.
const wasm = await getKernelSet('wasm');
const engines = [
  ['reference', referenceStepper],
  [
    wasm.resolved.onlineSgdStepper === 'wasm' ? 'wasm' : 'wasm (unavailable here: its set falls back to the reference)',
    wasm.onlineSgdStepper,
  ],
] as const;

describe.each(engines)('%s onlineSgdStepper: sampling and ReLU at 0', (_name, onlineSgdStepper) => {
  test('β = 0: x = Σ_τ a_τ z_τ e_τ with no bulk draws — the same run as a `draw` sampler that does exactly that', () => {
    // Two listed directions (e_1, e_2 = the first two coordinates) with amplitudes 1.5 and 0.7.
    const basis = new Float64Array(2 * D);
    basis[0] = 1;
    basis[D + 1] = 1;
    const amplitudes = Float64Array.from([1.5, 0.7]);
    const gaussian = args({ kind: 'gaussian', directions: 2, basis, bulk: 0, amplitudes }, 5, 'erf', W0, V0);
    // The definition, written out: two normals from the same stream per sample, nothing else drawn.
    const own = createRng(5);
    const z = new Float64Array(2);
    const draw = args(
      {
        kind: 'draw',
        draw(out) {
          own.fillNormal(z, 0, 2);
          out.fill(0);
          out[0] = 1.5 * z[0];
          out[1] = 0.7 * z[1];
        },
      },
      999,
      'erf',
      W0,
      V0,
    );
    const a = onlineSgdStepper(gaussian);
    const b = onlineSgdStepper(draw);
    for (let t = 0; t < 40; t++) {
      a.step();
      b.step();
    }
    a.finish();
    b.finish();
    // Same operations in the same order: the same bits. (Drawing D bulk normals scaled by √0 would shift the stream.)
    expect(Array.from(gaussian.network.W)).toEqual(Array.from(draw.network.W));
    expect(Array.from(gaussian.network.V)).toEqual(Array.from(draw.network.V));
    // And the run did move the weights (40 steps at η = 0.5).
    expect(gaussian.network.W).not.toEqual(Float64Array.from(W0));
  });

  test('ReLU: a unit with w = 0 and no bias has λ = 0, g = g′ = 0, and stays exactly where it is', () => {
    const W = [...W0.slice(0, D), 0, 0, 0, 0, 0, 0];
    const calls = { n: 0 };
    const rng = createRng(8);
    const sampler: OnlineSgdArgs['sampler'] = {
      kind: 'draw',
      draw(out) {
        calls.n++;
        rng.fillNormal(out, 0, D);
      },
    };
    const run = args(sampler, 1, 'relu', W, V0);
    const stepper = onlineSgdStepper(run);
    for (let t = 0; t < 30; t++) stepper.step();
    stepper.finish();
    expect(calls.n).toBe(30);
    // The dead unit: its encoder row stays 0 (g′(0) = 0, no encoder gradient) and its decoder row unchanged (g(0) = 0).
    expect(Array.from(run.network.W.subarray(D))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(run.network.V.subarray(D))).toEqual(V0.slice(D));
    // The live unit did learn.
    expect(Array.from(run.network.W.subarray(0, D))).not.toEqual(W0.slice(0, D));
  });
});

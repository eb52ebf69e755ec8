import type { Rng } from '../core/rng.ts';

/**
 * A plain object that forwards every method of the {@link Rng} interface to `inner`, with `overrides` in place of
 * some: for tests that need a stream that is not createRng's own object (so engines take their generic path) or that
 * script some draws.
 */
export function wrapRng(inner: Rng, overrides: Partial<Omit<Rng, 'seed'>> = {}): Rng {
  return {
    seed: inner.seed,
    uniform: () => inner.uniform(),
    uint32: () => inner.uint32(),
    int: (m) => inner.int(m),
    normal: () => inner.normal(),
    fillNormal: (out, offset, length, scale) => inner.fillNormal(out, offset, length, scale),
    fillUniform: (out, offset, length) => inner.fillUniform(out, offset, length),
    fork: (stream) => inner.fork(stream),
    ...overrides,
  };
}

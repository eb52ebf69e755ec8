/** Central-difference step, relative to max(1, |x|): O(h²) truncation ≈ 1e-10 against round-off ≈ EPS64/h ≈ 1e-11. */
export const FD_STEP = 1e-5;

/**
 * The gradient of `f` by central differences over every entry of `arrays` (each perturbed in place and restored),
 * concatenated in order: the independent route (the test-error formula alone) the drift claims compare the ODE with.
 */
export function centralGradient(f: () => number, arrays: readonly Float64Array[], step = FD_STEP): Float64Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float64Array(total);
  let o = 0;
  for (const arr of arrays) {
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      const h = step * Math.max(1, Math.abs(x));
      arr[i] = x + h;
      const up = f();
      arr[i] = x - h;
      const down = f();
      arr[i] = x;
      out[o++] = (up - down) / (2 * h);
    }
  }
  return out;
}

/** ‖u − v‖ / ‖v‖ (Euclidean; ‖v‖ floored at 1e-300). */
export function relativeDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < v.length; i++) {
    num += (u[i] - v[i]) ** 2;
    den += v[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-300));
}

/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) seeded through splitmix32, with Marsaglia–Tsang
 * ziggurat normals. Every random function in aecheck takes an {@link Rng}; nothing uses `Math.random`.
 */

/** A seeded random stream. */
export interface Rng {
  /** The seed this stream was created from (after forking: the derived seed). */
  readonly seed: number;
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Fills `out[offset .. offset+length)` with N(0, scale²) draws. Allocates nothing. */
  fillNormal(out: Float64Array | Float32Array, offset?: number, length?: number, scale?: number): void;
  /** Fills `out[offset .. offset+length)` with U[0, 1) draws. Allocates nothing. */
  fillUniform(out: Float64Array | Float32Array, offset?: number, length?: number): void;
  /** An independent stream derived from this stream's seed and `stream` (does not advance this stream). */
  fork(stream: number | string): Rng;
}

/** Number of ziggurat layers. */
const ZIGGURAT_LAYERS = 128;
/** Right edge of the base layer for 128 layers (Marsaglia & Tsang 2000). */
const ZIGGURAT_R = 3.442619855899;
/** Area of each layer for 128 layers. */
const ZIGGURAT_V = 9.91256303526217e-3;
/** 2^31, the scale of the signed 32-bit ziggurat draw. */
const TWO_POW_31 = 2147483648;

// Float64 (not Uint32): the thresholds exceed 2^31, and a Uint32Array load of such a value, compared with the signed
// draw, costs V8 a conversion per draw; the comparisons are unchanged.
const kn = new Float64Array(ZIGGURAT_LAYERS);
const wn = new Float64Array(ZIGGURAT_LAYERS);
const fn = new Float64Array(ZIGGURAT_LAYERS);
(() => {
  let dn = ZIGGURAT_R;
  let tn = dn;
  const q = ZIGGURAT_V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * TWO_POW_31);
  kn[1] = 0;
  wn[0] = q / TWO_POW_31;
  wn[ZIGGURAT_LAYERS - 1] = dn / TWO_POW_31;
  fn[0] = 1;
  fn[ZIGGURAT_LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZIGGURAT_LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIGGURAT_V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * TWO_POW_31);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / TWO_POW_31;
  }
})();

/** splitmix32 step, used to expand a seed into the xoshiro state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, for string stream labels. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Xoshiro128 implements Rng {
  readonly seed: number;
  /** xoshiro128** state (int32; read by {@link zigguratRun}, not part of the public {@link Rng}). */
  a: number;
  b: number;
  c: number;
  d: number;
  /** The draw {@link zigguratRun} rejected last. */
  rejected = 0;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`createRng: seed must be a finite number, received ${seed}`);
    this.seed = seed >>> 0;
    const st = { s: this.seed ^ 0x5bd1e995 };
    // Stored as signed int32 (| 0): every operation on the state is bitwise, so the sign convention does not change
    // a single output, and V8 keeps the fields as small integers instead of boxed doubles (≈25% faster normals).
    this.a = splitmix32(st) | 0;
    this.b = splitmix32(st) | 0;
    this.c = splitmix32(st) | 0;
    this.d = splitmix32(st) | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  uniform(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  int(maxExclusive: number): number {
    if (!(maxExclusive >= 1)) throw new RangeError(`Rng.int: maxExclusive must be ≥ 1, received ${maxExclusive}`);
    return Math.floor(this.uniform() * maxExclusive);
  }

  normal(): number {
    const hz = this.uint32() | 0;
    const iz = hz & (ZIGGURAT_LAYERS - 1);
    if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
    return this.normalSlow(hz, iz);
  }

  /** The ziggurat's slow path (about 1.3% of draws) after a rejected fast-path draw `hz` in layer `iz`. */
  private normalSlow(hz0: number, iz0: number): number {
    let hz = hz0;
    let iz = iz0;
    for (;;) {
      // Slow path (about 1.3% of draws).
      if (iz === 0) {
        let x: number;
        let y: number;
        do {
          x = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
          y = -Math.log(1 - this.uniform());
        } while (y + y < x * x);
        return hz > 0 ? ZIGGURAT_R + x : -ZIGGURAT_R - x;
      }
      const x = hz * wn[iz];
      if (fn[iz] + this.uniform() * (fn[iz - 1] - fn[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.uint32() | 0;
      iz = hz & (ZIGGURAT_LAYERS - 1);
      if (Math.abs(hz) < kn[iz]) return hz * wn[iz];
    }
  }

  fillNormal(out: Float64Array | Float32Array, offset = 0, length = out.length - offset, scale = 1): void {
    // Same stream as repeated normal() calls. zigguratRun does the fast path (98.7% of draws) with the state in
    // registers and stops at a rejected draw, which the slow path finishes here. Keeping the slow path out of the fast
    // loop's function stops V8 from inlining it there (≈2 ns a normal instead of 3.5; 10 before this split).
    const end = offset + length;
    let i = offset;
    for (;;) {
      i = zigguratRun(this, out, i, end, scale);
      if (i === end) return;
      const hz = this.rejected;
      out[i] = scale * this.normalSlow(hz, hz & (ZIGGURAT_LAYERS - 1));
      i++;
    }
  }

  /** The slow path for a draw `hz` the fast path rejected (see {@link zigguratAccess}). */
  normalSlowPublic(hz: number): number {
    return this.normalSlow(hz, hz & (ZIGGURAT_LAYERS - 1));
  }

  fillUniform(out: Float64Array | Float32Array, offset = 0, length = out.length - offset): void {
    const end = offset + length;
    for (let i = offset; i < end; i++) out[i] = this.uniform();
  }

  fork(stream: number | string): Rng {
    const label = typeof stream === 'string' ? hashString(stream) : stream >>> 0;
    const st = { s: (this.seed * 0x2545f491) ^ label };
    splitmix32(st);
    return new Xoshiro128(splitmix32(st) ^ Math.imul(label, 0x9e3779b1));
  }
}

/**
 * The ziggurat's fast path for `out[i .. end)`: returns `end`, or the index whose draw was rejected (left in
 * `rng.rejected` for the slow path). The state is written back either way.
 */
function zigguratRun(
  rng: Xoshiro128,
  out: Float64Array | Float32Array,
  start: number,
  end: number,
  scale: number,
): number {
  let a = rng.a;
  let b = rng.b;
  let c = rng.c;
  let d = rng.d;
  let i = start;
  for (; i < end; i++) {
    const r = Math.imul(b, 5);
    const hz = Math.imul((r << 7) | (r >>> 25), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = (d << 11) | (d >>> 21);
    const iz = hz & (ZIGGURAT_LAYERS - 1);
    // Math.abs, not hz < 0 ? -hz : hz: −(−2^31) leaves the int32 range and deoptimises the loop.
    if (!(Math.abs(hz) < kn[iz])) {
      rng.rejected = hz;
      break;
    }
    out[i] = scale * (hz * wn[iz]);
  }
  rng.a = a;
  rng.b = b;
  rng.c = c;
  rng.d = d;
  return i;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * For engines that run the ziggurat elsewhere (the WebAssembly online-SGD step): the tables (kn, wn, and fn for the
 * slow path), and for a stream made by {@link createRng} its int32 state (read and written in place) and the slow path
 * for a rejected draw. Running the fast path on that state and finishing rejected draws with `slow` (or the same slow
 * path's operations on the tables) reproduces `fillNormal` bit for bit.
 * Returns undefined for any other {@link Rng} implementation.
 */
export function zigguratAccess(rng: Rng):
  | {
      state: { a: number; b: number; c: number; d: number };
      slow(rejected: number): number;
      kn: Float64Array;
      wn: Float64Array;
      fn: Float64Array;
    }
  | undefined {
  if (!(rng instanceof Xoshiro128)) return undefined;
  return {
    state: rng,
    slow: (hz: number) => rng.normalSlowPublic(hz),
    kn,
    wn,
    fn,
  };
}

/**
 * Fills `out` with sparse uniforms: each entry, in order, is `rng.uniform() < p ? rng.uniform() : 0` (nonzero with
 * probability p, then U[0, 1)), the same draws and the same bits as that loop. For a stream made by {@link createRng}
 * the generator's state stays in local variables for the whole array (the loop through `uniform()` loads and stores
 * it on every draw: 20 µs against about 9 µs at n = 1024, p = 0.3); any other {@link Rng} runs the loop itself.
 * The generator's step is written out four times (two per uniform, for the test draw and the value): a loop that
 * writes it once and takes one uniform per pass measured 50–60% slower side by side.
 */
export function fillSparseUniform(rng: Rng, out: Float64Array, p: number): void {
  if (!(rng instanceof Xoshiro128)) {
    for (let i = 0; i < out.length; i++) out[i] = rng.uniform() < p ? rng.uniform() : 0;
    return;
  }
  let a = rng.a;
  let b = rng.b;
  let c = rng.c;
  let d = rng.d;
  for (let i = 0; i < out.length; i++) {
    // uniform() = ((next() >>> 5)·2²⁶ + (next() >>> 6)) / 2⁵³, next() the xoshiro128** step of Xoshiro128.uint32.
    let r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    let t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    const hi = r >>> 5;
    r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    if ((hi * 67108864 + (r >>> 6)) / 9007199254740992 < p) {
      r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      const hi2 = r >>> 5;
      r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      out[i] = (hi2 * 67108864 + (r >>> 6)) / 9007199254740992;
    } else out[i] = 0;
  }
  rng.a = a;
  rng.b = b;
  rng.c = c;
  rng.d = d;
}

/** Creates a seeded {@link Rng}; the same seed always gives the same stream. */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}

/**
 * Float64 special functions. `erf` uses the everywhere-convergent series
 * erf(x) = (2/√π) e^{−x²} Σ_n 2^n x^{2n+1} / (2n+1)!!  (all terms positive, no cancellation) for |x| < 2.5,
 * and the continued fraction of erfc (modified Lentz) beyond, which keeps erfc's relative accuracy in the tail; erfc on
 * [1, 3), where that fraction converges slowly, by a Taylor series about committed mpmath values (see erfcTaylor).
 * Checked against committed reference values (fixtures/reference/special.json, made by fixtures/scripts/special_reference.py).
 */

/** √2. */
export const SQRT2 = Math.SQRT2;
/** √(2/π) = g'(0) for g(x) = erf(x/√2). */
export const SQRT2_OVER_PI = Math.sqrt(2 / Math.PI);
/** 1/√(2π), the peak of the standard normal density. */
export const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
/** 2/√π. */
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Below this |x| the series is used, above it the continued fraction. */
const ERF_SERIES_LIMIT = 2.5;
/**
 * From here erfc uses the Taylor series on [1, 3), then the continued fraction, since 1 − erf(x) loses relative
 * accuracy as erfc(x) → 0.
 */
const ERFC_FRACTION_LIMIT = 1;
/** Relative size of the last term/step at which series and continued fraction stop. */
const CONVERGENCE = 1e-17;
/** Iteration cap for the series and the continued fraction (never reached for finite x). */
const MAX_TERMS = 500;
/** Lentz's tiny number that replaces a zero denominator. */
const LENTZ_TINY = 1e-300;

/**
 * erfc on [ERFC_TAYLOR_LO, ERFC_TAYLOR_HI) by its Taylor series about the nearest point a of a grid of step
 * ERFC_TAYLOR_STEP: erfc(a + h) = erfc(a) − (2/√π) e^{−a²} Σ_{n≥1} (−1)^{n−1} H_{n−1}(a) hⁿ/n! (H the physicists'
 * Hermite polynomials, dⁿ/dxⁿ e^{−x²} = (−1)ⁿ Hₙ(x) e^{−x²}). There Lentz's method on the continued fraction needs
 * 190 (x = 1) to 17 (x = 6) steps, each with two divisions; the series needs ERFC_TAYLOR_TERMS multiply-adds. erfc(a)
 * is a committed mpmath value (ERFC_TAYLOR_GRID), e^{−a²} is Math.exp of an exact a². With |h| ≤ 1/32 and a < 6 the
 * terms fall as (2a|h|)ⁿ/n! ≤ 0.375ⁿ/n!, and erfc(a + h)/erfc(a) ≈ e^{−2ah} stays within [0.68, 1.46]: no
 * cancellation. Over 8001 points of [1, 6] the largest error against mpmath is a few ulp (special.test.ts holds it
 * to 8 at the reference points). erf uses it too, as 1 − erfc on [2.5, 6). Found by profiling refinetti2022.relu-bias,
 * whose ReLU pair integrals spent most of their time in Φ.
 */
const ERFC_TAYLOR_LO = 1;
const ERFC_TAYLOR_HI = 6;
const ERFC_TAYLOR_STEP = 1 / 16;
/** Terms of the series: the last is below (2a|h|)^21/21! ≤ 0.375^21/21! ≈ 2e-29 of erfc(a)/h, far below an ulp. */
const ERFC_TAYLOR_TERMS = 21;
/** 1/(n + 1) for the terms, so that the loop multiplies only. */
const ERFC_TAYLOR_RECIPROCALS = Float64Array.from({ length: ERFC_TAYLOR_TERMS }, (_, n) => 1 / (n + 1));
/** erfc(1 + k/16), k = 0…80: mpmath at 40 digits, printed by fixtures/scripts/erfc_taylor_grid.py. */
const ERFC_TAYLOR_GRID = [
  0.15729920705028513, 0.13294173056504724, 0.11161176829829224, 0.0930782802183135, 0.07709987174354177,
  0.06343142528861129, 0.051829927217909674, 0.042059393943539934, 0.033894853524689274, 0.02712538617906646,
  0.021556266760016336, 0.01701028339802197, 0.013328328780817557, 0.010369374205224815, 0.00800994232988003,
  0.0061431936047868, 0.004677734981047266, 0.003536249125209789, 0.0026540293594823415, 0.001977491183610797,
  0.0014627165866811518, 0.0010740732907223848, 0.0007829382178911192, 0.0005665432545801649, 0.0004069520174449589,
  0.00029016886167340607, 0.00020537573614121745, 0.00014428851742548005, 0.00010062192211963683, 6.965075439264378e-5,
  4.785483974377341e-5, 3.2635287147561264e-5, 2.209049699858544e-5, 1.4841410792897195e-5, 9.89673462524562e-6,
  6.550150776030468e-6, 4.302779463675122e-6, 2.8053126041729303e-6, 1.8152814274403558e-6, 1.1658253489741942e-6,
  7.430983723414128e-7, 4.70087839033287e-7, 2.951401925115699e-7, 1.8390401247494034e-7, 1.1372725656979665e-7,
  6.979841318562117e-8, 4.2513944082491124e-8, 2.5699190612911507e-8, 1.541725790028002e-8, 9.178929024808192e-9,
  5.423400799565066e-9, 3.180123051662578e-9, 1.8505741373867425e-9, 1.068703608773715e-9, 6.12483295356936e-10,
  3.483496992332643e-10, 1.9661604415428876e-10, 1.1012932081405925e-10, 6.121610513034226e-11, 3.3768008496558794e-11,
  1.8485047721485312e-11, 1.0041751858235032e-11, 5.413406466297941e-12, 2.8960265860742142e-12, 1.537459794428035e-12,
  8.099774240291918e-13, 4.234563376336224e-13, 2.196896674561913e-13, 1.1310313266887154e-13, 5.778331062892908e-14,
  2.9294885544871546e-14, 1.4738104759597472e-14, 7.357847917974398e-15, 3.645173698882073e-15, 1.7920200056510066e-15,
  8.7422589522645e-16, 4.232136617425738e-16, 2.0330587627098306e-16, 9.691555645277176e-17, 4.5844734362343966e-17,
  2.1519736712498913e-17,
];
/** (2/√π) e^{−a_k²} at the same points (a_k² is exact in float64). */
const ERFC_SLOPE_GRID = Float64Array.from(ERFC_TAYLOR_GRID, (_, k) => {
  const a = ERFC_TAYLOR_LO + k * ERFC_TAYLOR_STEP;
  return TWO_OVER_SQRT_PI * Math.exp(-a * a);
});

function erfcTaylor(x: number): number {
  const k = Math.round((x - ERFC_TAYLOR_LO) / ERFC_TAYLOR_STEP);
  const a = ERFC_TAYLOR_LO + k * ERFC_TAYLOR_STEP;
  const h = x - a;
  // sum = Σ_{n≥1} (−1)^{n−1} H_{n−1}(a) hⁿ/n!, with H by its recurrence Hₙ = 2a H_{n−1} − 2(n−1) H_{n−2}.
  let hermPrev = 0;
  let herm = 1; // H_0
  let term = h; // (−1)⁰ h¹/1!
  let sum = term;
  for (let n = 1; n < ERFC_TAYLOR_TERMS; n++) {
    const next = 2 * a * herm - 2 * (n - 1) * hermPrev; // H_n
    hermPrev = herm;
    herm = next;
    term *= -h * ERFC_TAYLOR_RECIPROCALS[n]; // (−1)ⁿ h^{n+1}/(n+1)!
    sum += herm * term;
  }
  return ERFC_TAYLOR_GRID[k] - ERFC_SLOPE_GRID[k] * sum;
}

/** erf(x) for 0 ≤ x < ERF_SERIES_LIMIT. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < CONVERGENCE * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ ERF_SERIES_LIMIT by the continued fraction erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  // Lentz on f = x + a1/(x + a2/(x + ...)), a_n = n/2.
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < MAX_TERMS; n++) {
    const an = n / 2;
    d = x + an * d;
    d = d === 0 ? LENTZ_TINY : d;
    c = x + an / c;
    c = c === 0 ? LENTZ_TINY : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < CONVERGENCE) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/** The error function erf(x) = (2/√π) ∫_0^x e^{−t²} dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax < ERF_SERIES_LIMIT) return x < 0 ? -erfSeries(ax) : erfSeries(ax);
  if (ax >= ERFC_TAYLOR_HI) return Math.sign(x);
  const v = 1 - erfcTaylor(ax);
  return x < 0 ? -v : v;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate in the right tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < ERFC_FRACTION_LIMIT) return 1 - erf(x);
  if (x < ERFC_TAYLOR_HI) return erfcTaylor(x);
  if (x > 27.3) return 0;
  return erfcContinuedFraction(x);
}

/** Standard normal density φ(x) = e^{−x²/2}/√(2π). */
export function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** Standard normal distribution function Φ(x) = ½ erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

// Acklam's rational approximation of the normal quantile (relative error 1.15e-9), then one Halley step.
const QA = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const QB = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const QC = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const QD = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
/** Below this probability the tail formula is used. */
const QUANTILE_LOW = 0.02425;

/** Inverse of Φ: the x with Φ(x) = p, for p in (0, 1); ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must lie in [0, 1], received ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  let x: number;
  if (p < QUANTILE_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) /
      ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  } else if (p <= 1 - QUANTILE_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) /
      (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) /
      ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
  }
  // One Halley step brings the error to full double precision.
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}

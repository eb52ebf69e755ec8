import {
  FASHION_MNIST_PIXEL_MAX,
  fashionMnistSourceText,
  loadFashionMnistPixels,
  resolveFashionMnistDir,
} from '../../data/fashionMnist.ts';
import { applyWhitener, DEFAULT_RIDGE_FRACTION, fitWhitener, resampleImages } from '../../data/whiten.ts';
import { ValidationError } from '../../core/errors.ts';
import type { Matrix } from '../../core/matrix.ts';
import type { KernelSet } from '../../kernels/kernelSpecs.ts';
import { tiedSgd } from '../../sim/shevchenko2023/tiedSgd.ts';
import { symmetricEigenSolver } from '../../sim/symmetricEigenSolver.ts';
import { optimalRisk } from '../../theory/shevchenko2023/signRisk.ts';
import { defineClaim, type MeasureContext, type Measurement, type ParamsOf } from '../claim.ts';
import { closeTo } from '../support/checks.ts';
import { gaussianStart, type TiedSgdFn } from './gdSetup.ts';
import { limitCurves } from './limitCurves.ts';
import { noOpTiedSgd } from './noOpOptimisers.ts';

/**
 * The band found for real data. Measured (tied SGD, whitened FashionMNIST, test split): d = 49: −0.021 (r = 0.5),
 * +0.041 (r = 1), +0.067 (r = 2); d = 196: −0.008, +0.062, +0.082. Training 4× longer (12 000 steps) left the r = 2 gap
 * unchanged (0.0656 → 0.0656), and Gaussian data with the same trainer, d = 49 and 3000 steps reaches 0.2237 (gap
 * 0.0017), so the real-data gap is not an optimisation or finite-d artifact. The guess of ±0.01–0.02 at d ≈ 800 (docs/shevchenko2023.md) does
 * not hold at these sizes for r ≥ 1. At the full d = 784 (paper-scale sizes, seed 13) the gap is larger still: +0.073
 * at r = 1, +0.091 at r = 2 (0.009 inside the band), −0.003 at r = 0.25.
 */
const UNIVERSALITY_BAND = 0.1;
/**
 * The early stop of paper scale (sizes.validation > 0): the risk on the held-out training images is evaluated every
 * `every` steps, and training stops when it improved by less than `minImprovement` over the last `window` steps (at
 * most `steps`). 0.002 is 2% of the band. Measured at d = 784 (batch 500, step 0.002, seed 13, test risk on 10 000
 * images, docs/shevchenko2023.md): r = 1 gap 0.103, 0.082, 0.076, 0.074, 0.0736, 0.0732, 0.0731 at steps 500, 1000,
 * …, 3500; r = 2: 0.0947, 0.0917, 0.0910, 0.0908 at 500, …, 2000; r = 0.25: +0.001 at step 1000, −0.002 at 3000,
 * −0.0032 at 8500. The curve flattens within 2000–3000 steps, so 20 000 fixed steps (24–62 min of one core for three
 * runs) mostly trained on a plateau. On these curves the rule stops at about step 4000 (r = 1), 3000 (r = 2) and 2500
 * (r = 0.25). After the stop the test risk fell by 0.0016 at r = 0.25 (to step 8500); at r = 1 and 2 the last 500
 * measured steps moved it by 0.0001 and 0.0003: small beside the 0.1 band.
 */
export const STOP = { every: 500, window: 2000, minImprovement: 0.002 } as const;
/** Side of FashionMNIST images. */
const SIDE = 28;

const domain = {
  rate: {
    kind: 'float',
    min: 0.25,
    max: 2,
    log: true,
    doc: 'rate r = n/d; the code length n = max(1, round(r·d)) is snapped to an integer, and R_opt is taken at n/d',
  },
  dim: {
    kind: 'int',
    min: 16,
    max: 784,
    log: true,
    doc: 'input dimension d: the 28 × 28 images are area-averaged to side round(√d), so d is snapped to that square (16, 25, …, 784); quick-scale draws stay at d ≤ 196, paper scale runs d = 784 first',
  },
  seed: { kind: 'seed', doc: 'seed of the initialisation and the minibatches' },
} as const;

/** The control trains nothing, so it loads only enough images to whiten (d = 49) and to test: it stays cheap. */
const CONTROL_SIZES = { train: 2000, test: 500, validation: 0 };

/** The resized, whitened train and test images of one (side, train, test): a pure function of the data files. */
interface Whitened {
  d: number;
  nTrain: number;
  nTest: number;
  xTrain: Float64Array;
  xTest: Float64Array;
  ridge: number;
  source: string;
  /** Where the images came from, in words (fixtures subset, Debian's package, --data DIR). */
  dataSource: string;
  /** Which eigensolver fitted the whitener (src/sim/symmetricEigenSolver.ts). */
  eigensolver: string;
}

/**
 * The last {@link Whitened} set made in this process: every run of the claim (and a worker runs several) whitens the
 * same images, which cost about a second a run (loading, pooling, fitting). Read-only for the caller.
 */
let lastWhitened: { key: string; value: Whitened } | undefined;

function whitenedImages(side: number, train: number, test: number, kernels: KernelSet): Whitened {
  // The run's kernels pick the eigensolver (OpenBLAS's dsyevd when its products run on OpenBLAS) and make the products.
  const eigensolver = symmetricEigenSolver(kernels);
  // The source, the solver and the backend of the products are part of the key: a process that reads another
  // directory, or whose next run uses the other eigensolver or another backend (round-off apart), must not reuse these
  // images. The key is known before any image is read, so a run that reuses them converts nothing.
  const where = resolveFashionMnistDir();
  const key = `${side}/${train}/${test}/${where.source}:${where.dir}/${eigensolver.on}/${kernels.backend}`;
  if (lastWhitened?.key === key) return lastWhitened.value;
  // The files' bytes, pooled as they are read (byte / 255, the same bits as the converted images): converting 20 000
  // images to float64 first cost about a quarter of a quick run (node --cpu-prof, 2026-11-30).
  const trainRaw = loadFashionMnistPixels({ split: 'train', atMost: train });
  const testRaw = loadFashionMnistPixels({ split: 'test', atMost: test });
  const nTrain = trainRaw.count;
  const nTest = testRaw.count;
  // d is snapped to side² (area averaging; plain pooling when side divides 28).
  const tr = resampleImages(trainRaw.pixels, nTrain, SIDE, side, FASHION_MNIST_PIXEL_MAX);
  const te = resampleImages(testRaw.pixels, nTest, SIDE, side, FASHION_MNIST_PIXEL_MAX);
  const d = tr.side * tr.side;
  const whitener = fitWhitener(tr.images, nTrain, d, DEFAULT_RIDGE_FRACTION, eigensolver.solve, kernels.gemm);
  const value = {
    d,
    nTrain,
    nTest,
    xTrain: applyWhitener(whitener, tr.images, nTrain, kernels.gemm),
    xTest: applyWhitener(whitener, te.images, nTest, kernels.gemm),
    ridge: whitener.ridge,
    source: trainRaw.source,
    dataSource: fashionMnistSourceText(trainRaw),
    eigensolver: eigensolver.note,
  };
  lastWhitened = { key, value };
  return value;
}

/** ‖X − sign(X Bᵀ) B‖² / ‖X‖² over `count` rows of X (count×d): the risk of the tied sign autoencoder B. */
function reconstructionRisk(kernels: KernelSet, b: Matrix, x: Float64Array, count: number): number {
  const { rows: n, cols: d } = b;
  const code = kernels.elementwise({
    op: 'sign',
    x: kernels.gemm({ m: count, n, k: d, a: x, b: b.data, transB: true }),
  });
  const recon = kernels.gemm({ m: count, n: d, k: n, a: code, b: b.data });
  let err = 0;
  let energy = 0;
  for (let i = 0; i < count * d; i++) {
    err += (x[i] - recon[i]) ** 2;
    energy += x[i] ** 2;
  }
  return err / energy;
}

/**
 * True when the validation risk, evaluated every {@link STOP}.every steps, improved by less than STOP.minImprovement
 * over the last STOP.window steps (or rose).
 */
export function stoppedImproving(curve: readonly number[]): boolean {
  const back = STOP.window / STOP.every;
  if (curve.length <= back) return false;
  return curve[curve.length - 1 - back] - curve[curve.length - 1] < STOP.minImprovement;
}

function measureWith(deps: { sgd: TiedSgdFn }) {
  return (
    params: ParamsOf<typeof domain>,
    ctx: MeasureContext<{
      train: number;
      test: number;
      batch: number;
      learningRate: number;
      steps: number;
      validation: number;
    }>,
  ): Measurement => {
    const { batch, learningRate, steps, validation } = ctx.sizes;
    // The side the images are resized to: d is snapped to side² (area averaging; plain pooling when side divides 28).
    const side = Math.max(1, Math.round(Math.sqrt(params.dim)));
    const { d, nTrain, nTest, xTrain, xTest, ridge, source, dataSource, eigensolver } = whitenedImages(
      side,
      ctx.sizes.train,
      ctx.sizes.test,
      ctx.kernels,
    );
    if (!(Number.isInteger(validation) && validation >= 0 && validation <= nTrain - batch))
      throw new ValidationError({
        field: 'sizes.validation',
        received: validation,
        expected: `a whole number of held-out training images in [0, ${nTrain - batch}] (${nTrain} loaded, batch ${batch})`,
        hint: 'use 0 for a fixed number of steps',
      });
    // SGD draws from the first nSgd training images; the last `validation` ones only decide when to stop.
    const nSgd = nTrain - validation;
    const xValidation = xTrain.subarray(nSgd * d);
    const rng = ctx.rng.fork(params.seed);
    // The encoder of the shared Gaussian start (tied SGD's decoder is Bᵀ).
    const { n, encoder: b0 } = gaussianStart({ dim: d, rate: params.rate, rng });
    const r = n / d;
    const validationCurve: number[] = [];
    const early =
      validation > 0
        ? {
            checkEvery: STOP.every,
            stopWhen: (_step: number, encoder: Matrix) => {
              validationCurve.push(reconstructionRisk(ctx.kernels, encoder, xValidation, validation));
              return stoppedImproving(validationCurve);
            },
          }
        : {};
    const b = deps.sgd({
      ...early,
      encoder: b0,
      steps,
      batch,
      learningRate,
      rng,
      kernels: ctx.kernels,
      progress: ctx.progress,
      // A plain copy loop: a subarray view per sample (768 000 a quick run) cost more than the copy.
      sample: (out, g) => {
        for (let s = 0; s < batch; s++) {
          const from = g.int(nSgd) * d;
          const to = s * d;
          for (let j = 0; j < d; j++) out[to + j] = xTrain[from + j];
        }
      },
    });
    const observed = reconstructionRisk(ctx.kernels, b, xTest, nTest);
    const predicted = optimalRisk(n / d);
    return {
      checks: [
        closeTo('universality', observed, predicted, { atol: UNIVERSALITY_BAND, metric: '|R_data − R_opt(r)|' }),
      ],
      details: {
        rate: r,
        d,
        n,
        gap: observed - predicted,
        trainImages: nSgd,
        ...(validation > 0
          ? {
              validationImages: validation,
              stoppedAt: validationCurve.length * STOP.every,
              validationRisk: validationCurve,
            }
          : { steps }),
        testImages: nTest,
        source,
        dataSource,
        ridge,
        eigensolver,
      },
      plots: [limitCurves({ name: `whitened FashionMNIST, tied SGD (d = ${d})`, rate: n / d, risk: observed })],
    };
  };
}

const untrained = measureWith({ sgd: noOpTiedSgd });

/**
 * docs/theory-shevchenko2023.md (S13): sign autoencoders trained on whitened real images land near the Gaussian curve
 * R_opt(r). The claim measures the gap at each rate and states the band in which universality was found to hold.
 */
export const universalityFashionMnist = defineClaim({
  id: 'shevchenko2023.universality-fashion-mnist',
  paper: 'shevchenko2023',
  title: 'Universality on whitened FashionMNIST: trained sign autoencoders land near R_opt(r) (within 0.1, not 0.02)',
  statement:
    'Tied SGD on centred, whitened FashionMNIST (area-averaged to d = side², side = round(√d); d ∈ [16, 196], 49 by default) at rate r = n/d (n = round(r·d), the rate snapped to an integer code length; r ∈ [0.25, 2]) reaches a test risk ‖x − x̂‖²/‖x‖² within 0.1 of the Gaussian limit R_opt(n/d). The (r, d) map of docs/regimes.md finds |R_data − R_opt| ≤ 0.083 on the whole domain (largest at r = 2, d = 196), so the band needs no narrower regime. Found: below one bit per coordinate the real data does slightly better than the Gaussian curve (−0.02 at r = 0.5), above it worse (+0.04 at r = 1, +0.07 at r = 2), and the gap does not close with longer training; universality holds only approximately at these sizes. Quick scale trains a fixed 3000 steps. Paper scale runs the full images (d = 784, 60 000 training images, batch 500, step 0.002) and holds the last 5000 training images out of SGD: their risk is evaluated every 500 steps and training stops once it improved by less than 0.002 over 2000 steps (at most 20 000 steps; the step is in details as stoppedAt). At d = 784 the gap is larger than at d ≤ 196 for r ≥ 1 (seed 13: +0.073 at r = 1 after 3500 steps, +0.091 at r = 2 after 2000, both nearly flat), and about 0 at r = 0.25 (−0.002 to −0.003): the gap grows with d instead of closing.',
  source: {
    paper: 'shevchenko2023',
    where: "docs/theory-shevchenko2023.md (S13) (the protocol is this project's; the paper's numbers are unknown)",
    confidence: 'REC',
    note: 'the band is measured here, not taken from the paper',
  },
  kind: 'statistical',
  datasets: ['fashion-mnist'],
  domain,
  defaults: { rate: 1, dim: 49, seed: 13 },
  tolerance: {
    description: `|R_data − R_opt(r)| ≤ ${UNIVERSALITY_BAND}`,
    reason:
      'the band measured for real data at d = 49–196 (see UNIVERSALITY_BAND); at d = 784 the r = 2 gap (0.091) is 0.009 inside it. Gaussian data reaches R_opt within 0.003 with the same trainer. The paper-scale early stop leaves at most a few thousandths of the test risk on the table (see STOP), far below the band',
  },
  budget: {
    // Quick draws stay at d ≤ 196 (a draw at d = 196, r = 2 already trains for ~30 s of CPU); paper scale starts at
    // the full 28 × 28 images (d = 784), what this claim ran at paper scale before d became a domain field.
    quick: {
      runs: 3,
      // d = 49: about 4 s; draws reach d = 196 (about 30 s): the mean, as a scheduling hint.
      cpuSeconds: 12,
      sizes: { train: 20_000, test: 2_000, batch: 256, learningRate: 0.004, steps: 3000, validation: 0 },
      ranges: { dim: { min: 16, max: 196 } },
    },
    paper: {
      runs: 3,
      // Whitening the images at d = 784 costs about 150 CPU s once per process; r = 1 costs about 0.066 CPU s a step,
      // r = 2 twice that, and a run stops after a few thousand steps. Seed 280501686: 523 CPU s for the three runs
      // (r = 1 at d = 784 stopped at step 4500; d = 225 and 25 took 5 min and 26 s of the 32 min of wall time).
      cpuSeconds: 450,
      sizes: { train: 60_000, test: 10_000, batch: 500, learningRate: 0.002, steps: 20_000, validation: 5_000 },
      defaults: { dim: 784 },
    },
  },
  measure: measureWith({ sgd: tiedSgd }),
  controls: [
    {
      name: 'untrained-encoder',
      description: 'a tied SGD that returns its Gaussian start (2000 images whitened, 500 tested, nothing trained)',
      measure: (params, ctx) => untrained(params, { ...ctx, sizes: { ...ctx.sizes, ...CONTROL_SIZES } }),
      catches: ['universality'],
    },
  ],
});

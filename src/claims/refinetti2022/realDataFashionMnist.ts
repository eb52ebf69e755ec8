import { SkipClaim } from '../../core/errors.ts';
import { fashionMnistSourceText, loadFashionMnist, resolveFashionMnistDir } from '../../data/fashionMnist.ts';
import { createImageSource, secondMomentSource } from '../../data/imageSource.ts';
import { preprocessImages } from '../../data/preprocessImages.ts';
import { empiricalTestError } from '../../sim/refinetti2022/measure.ts';
import { onlineSgd } from '../../sim/refinetti2022/onlineSgd.ts';
import { initialWeights } from '../../sim/refinetti2022/weights.ts';
import { symmetricEigenSolver } from '../../sim/symmetricEigenSolver.ts';
import { defineClaim, type MeasureFn } from '../claim.ts';
import { closeTo } from '../support/checks.ts';
import { INIT_SCALE, odeFromWeights } from './simSetup.ts';
import { errorPlot } from './errorPlot.ts';

/**
 * Allowed gap, relative to the total drop ε(0) − ε_ODE(t_end): SGD on a finite set of real images differs from the
 * Gaussian ODE by finite-D fluctuations and by non-Gaussianity. With the ODE driven by Ω of the training images and
 * SGD's error measured on them, the median gap over 3 runs was 0.5–1.5% of the drop in 31 quick draws; 5% is about 3×
 * the largest. (When the ODE used the test images' Ω, the train/test mismatch of the quick subsets dominated:
 * 3–29% of the drop, systematic for some initial weights.)
 */
const RELATIVE_GAP = 0.05;
/** SGD runs per measurement (odd: the median is one of them). */
const SGD_RUNS = 3;
/** Principal-component levels shown on the plot. */
const PCA_LEVELS = 4;

const domain = {
  hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
  seed: { kind: 'seed', doc: 'seed' },
} as const;
type Sizes = { train: number; test: number; tMax: number; learningRate: number };

/** The ODE's activation (erf, as SGD's, for the claim). */
interface Deps {
  odeActivation: 'erf' | 'linear';
}

function measureWith(deps: Deps): MeasureFn<typeof domain, Sizes> {
  return (params, ctx) => {
    const { train, test, tMax, learningRate } = ctx.sizes;
    const K = params.hidden;
    const where = resolveFashionMnistDir();
    if (ctx.scale === 'paper' && where.source === 'fixture') {
      // Quick scale always runs (the fixture is shipped); paper scale needs the full dataset.
      throw new SkipClaim(
        `paper scale needs the full FashionMNIST (${train} train / ${test} test images); only the shipped 1000/500 subset was found — install dataset-fashion-mnist or pass --data DIR with the full set`,
      );
    }
    const trainSet = loadFashionMnist({ split: 'train', limit: train });
    const testSet = loadFashionMnist({ split: 'test', limit: test });
    const trainX = preprocessImages(trainSet.images).data;
    const testX = preprocessImages(testSet.images).data;
    const D = trainSet.dim;
    // The ODE is driven by the second moment of the images SGD samples (the training set), and SGD's error is measured
    // on those images: both then describe the same distribution. With the test images' Ω (the earlier setup) the
    // quick scale's 1000/500-image subsets differ enough that some initial weights escape the plateau measurably
    // earlier in the ODE than in SGD (0.17–0.29 of the drop, the same in every SGD run from those weights).
    const trainSource = createImageSource(trainX, D, `FashionMNIST train (${train})`);
    // Ω's 784 × 784 eigendecomposition: OpenBLAS's dsyevd when this run's kernels use OpenBLAS (0.1 CPU s), else
    // the JavaScript solver (3.8 s); the eigenvalues agree to round-off, so the ODE does too.
    const eigensolver = symmetricEigenSolver(ctx.kernels);
    // Ω = XᵀX/N itself: a blocked Gram product on this run's GEMM (OpenBLAS's dsyrk in `auto`).
    const omega = secondMomentSource(trainSource, eigensolver.solve, ctx.kernels.gemm);
    const rng = ctx.rng.fork(params.seed);
    const weights = initialWeights({ hidden: K, dim: D, initialScale: INIT_SCALE, rng: rng.fork('weights') });
    const times = [0, 1, 2, 5, 10, 20, 40, 60, 80, 100, 130, 160, 200, 300, 400].filter((t) => t < tMax).concat([tMax]);
    const ode = odeFromWeights({ source: omega, weights, activation: deps.odeActivation, learningRate, times });
    // Several SGD runs from the same weights (independent sample streams); the verdict uses the median of their max
    // gaps. The gap is the timing noise of the steep drop, which has a heavy tail: one quick run in about 40 gave
    // 0.173 of the drop against a median of 0.07 (seed 3029561804), and one run let that tail decide.
    const runs = Array.from({ length: SGD_RUNS }, (_, run) =>
      onlineSgd({
        kernels: ctx.kernels,
        source: trainSource,
        omega,
        testSet: trainX,
        activation: 'erf',
        learningRate,
        initial: weights,
        times,
        rng: rng.fork(run === 0 ? 'samples' : `samples:${run}`),
      }),
    );
    const gaps = runs.map((r) => {
      let g = 0;
      for (let i = 0; i < times.length; i++) g = Math.max(g, Math.abs(r.error[i] - ode.error[i]));
      return g;
    });
    const gap = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
    const sgd = runs[gaps.indexOf(gap)];
    const drop = ode.error[0] - ode.error[ode.error.length - 1];
    const pca = Array.from({ length: PCA_LEVELS }, (_, m) => {
      let top = 0;
      for (let i = 0; i < m; i++) top += omega.values[i];
      return 0.5 * (omega.traceOmegaOverD - top / D);
    });
    return {
      checks: [
        closeTo('sgd-vs-ode', gap, 0, {
          atol: RELATIVE_GAP * drop,
          metric: `median over runs of max_t |ε_SGD − ε_ODE| vs ${RELATIVE_GAP}·(ε(0) − ε_ODE(t_end))`,
        }),
      ],
      details: {
        source: trainSet.source,
        dataSource: fashionMnistSourceText(trainSet),
        trainImages: trainSet.count,
        testImages: testSet.count,
        maxGap: gap,
        maxGapPerRun: gaps,
        // the same network's error on held-out test images at the end (the generalisation gap is not part of the claim)
        finalTestImageError: empiricalTestError(sgd.weights, testX, 'erf', ctx.kernels, false),
        totalDrop: drop,
        sgdError: sgd.error,
        odeError: ode.error,
        times,
        traceOmegaOverD: omega.traceOmegaOverD,
        eigensolver: eigensolver.note,
      },
      plots: [
        errorPlot(
          'fmnist-eps',
          `FashionMNIST, erf, K = ${K}: ODE (784 directions of Ω_train) vs SGD on real images`,
          [
            { name: 'ODE', times: ode.times, error: ode.error },
            { name: 'SGD (error on the training images)', times: sgd.times, error: sgd.error, style: 'points' },
          ],
          pca,
        ),
      ],
    };
  };
}

/**
 * Paper Section 4, docs/theory-refinetti2022.md (E21) (with FashionMNIST, which the authors' README supports): the ODE
 * tracks SGD on real images.
 */
export const realDataFashionMnist = defineClaim({
  id: 'refinetti2022.real-data-fashion-mnist',
  paper: 'refinetti2022',
  title: 'On FashionMNIST (D = 784) the ODE over all 784 eigen-directions tracks SGD trained on real images',
  statement:
    "FashionMNIST preprocessed as in docs/theory-refinetti2022.md (E5) (global scalar std → ½, global mean → 0, per split). An erf autoencoder (init 0.1) trained by online SGD on random training images (batch 1, with replacement; the authors' --online 0) has an error ε(t) on those images that the vector-form ODE over all 784 eigen-directions of their uncentred second moment tracks from the same initial weights: the median over 3 SGD runs of max_t |ε_SGD − ε_ODE| is ≤ 0.05·(ε(0) − ε_ODE(t_end)). Found: driving the ODE with the test images' Ω instead leaves a systematic gap of up to 29% of the drop on the quick 1000/500-image subsets (a covariance mismatch, not an ODE failure). Quick scale uses the shipped 1000/500-image subset (or the Debian package when present, same subset sizes); paper scale uses the full dataset when installed.",
  source: {
    paper: 'refinetti2022',
    where: 'abstract claim 5, paper Section 4; docs/theory-refinetti2022.md (E5), (E21), (K11), (K18)',
    confidence: 'PAPER?',
    note: "the paper uses CIFAR10; FashionMNIST is in the authors' README",
  },
  kind: 'statistical',
  datasets: ['fashion-mnist'],
  domain,
  defaults: { hidden: 2, seed: 2 },
  tolerance: {
    description: `median over ${SGD_RUNS} SGD runs of max_t |ε_SGD − ε_ODE| ≤ ${RELATIVE_GAP}·(ε(0) − ε_ODE(t_end))`,
    reason:
      'finite D = 784 and non-Gaussian images; measured 0.5–1.5% of the drop over 31 quick draws (median of 3 SGD runs), so 5% is about 3× the largest',
  },
  budget: {
    // cpuSeconds: measured 3.0 with OpenBLAS's eigensolver (run 0, seed 7, load 11–15; 7.1 with ml-matrix's).
    quick: { runs: 1, cpuSeconds: 3, sizes: { train: 1000, test: 500, tMax: 200, learningRate: 0.4 } },
    paper: { runs: 1, cpuSeconds: 78, sizes: { train: 60_000, test: 10_000, tMax: 400, learningRate: 0.4 } },
  },
  measure: measureWith({ odeActivation: 'erf' }),
  controls: [
    {
      name: 'ode-linear-for-erf',
      description: 'the ODE of a linear network against SGD of an erf network on the images (a wrong activation)',
      measure: measureWith({ odeActivation: 'linear' }),
      catches: ['sgd-vs-ode'],
    },
  ],
});

import { SkipClaim } from '../../core/errors.ts';
import { loadFashionMnist, resolveFashionMnistDir } from '../../data/fashionMnist.ts';
import { createImageSource, secondMomentSource } from '../../data/imageSource.ts';
import { preprocessImages } from '../../data/preprocessImages.ts';
import { onlineSgd } from '../../sim/refinetti2022/onlineSgd.ts';
import { initialWeights } from '../../sim/refinetti2022/weights.ts';
import { defineClaim } from '../claim.ts';
import { errorPlot, INIT_SCALE, odeFromWeights } from './simSetup.ts';

/**
 * Allowed gap, relative to the total drop ε(0) − ε_ODE(t_end): SGD on a finite set of real images differs from the
 * Gaussian ODE by finite-D fluctuations and by non-Gaussianity and train/test covariance mismatch (the ODE uses Ω of
 * the test images). Measured: see the details; measured 9.2% at the default seed (quick scale), so 15% is a 1.6× margin.
 */
const RELATIVE_GAP = 0.15;
/** Principal-component levels shown on the plot. */
const PCA_LEVELS = 4;

/** §4e (with FashionMNIST, which the authors' README supports): the ODE tracks SGD on real images. */
export const realDataFashionMnist = defineClaim({
  id: 'refinetti2022.real-data-fashion-mnist',
  paper: 'refinetti2022',
  title: 'On FashionMNIST (D = 784) the ODE over all 784 eigen-directions tracks SGD trained on real images',
  statement:
    "FashionMNIST preprocessed as in §2.2 (global scalar std → ½, global mean → 0, per split). An erf autoencoder (init 0.1) trained by online SGD on random training images (batch 1, with replacement; the authors' --online 0) has a test-image error ε(t) that the vector-form ODE over all 784 eigen-directions of the test images' uncentred second moment tracks from the same initial weights: max_t |ε_SGD − ε_ODE| ≤ 0.15·(ε(0) − ε_ODE(t_end)). Quick scale uses the shipped 1000/500-image subset (or the Debian package when present, same subset sizes); paper scale uses the full dataset when installed.",
  source: {
    paper: 'refinetti2022',
    where: 'abstract claim 5; digest §2.2, §4e, §7.11',
    confidence: 'PAPER?',
    note: "the paper uses CIFAR10; FashionMNIST is in the authors' README",
  },
  kind: 'statistical',
  domain: {
    hidden: { kind: 'int', min: 1, max: 3, doc: 'hidden units K' },
    seed: { kind: 'seed', doc: 'seed' },
  },
  defaults: { hidden: 2, seed: 2 },
  tolerance: {
    description: `max_t |ε_SGD − ε_ODE| ≤ ${RELATIVE_GAP}·(ε(0) − ε_ODE(t_end))`,
    reason:
      'finite D = 784, non-Gaussian images and train/test covariance mismatch (SGD lags the ODE slightly); measured 9.2% of the drop at the default seed (quick scale: gap 0.0049 on a drop of 0.054), so 15% is a 1.6× margin',
  },
  budget: {
    quick: { runs: 1, sizes: { train: 1000, test: 500, tMax: 200, learningRate: 0.4 } },
    paper: { runs: 1, sizes: { train: 60_000, test: 10_000, tMax: 400, learningRate: 0.4 } },
  },
  measure(params, ctx) {
    const { train, test, tMax, learningRate } = ctx.sizes;
    const K = params.hidden;
    const where = resolveFashionMnistDir();
    if (ctx.scale === 'paper' && where.source === 'fixture') {
      // Quick scale always runs (the fixture is shipped); paper scale needs the full dataset.
      throw new SkipClaim(
        `paper scale needs the full FashionMNIST (${train} train / ${test} test images); only the shipped 1000/500 subset was found — install dataset-fashion-mnist`,
      );
    }
    const trainSet = loadFashionMnist({ split: 'train', limit: train });
    const testSet = loadFashionMnist({ split: 'test', limit: test });
    const trainX = preprocessImages(trainSet.images).data;
    const testX = preprocessImages(testSet.images).data;
    const D = trainSet.dim;
    const omega = secondMomentSource(createImageSource(testX, D, `FashionMNIST test (${test})`));
    const rng = ctx.rng.fork(params.seed);
    const weights = initialWeights({ hidden: K, dim: D, initialScale: INIT_SCALE, rng: rng.fork('weights') });
    const times = [0, 1, 2, 5, 10, 20, 40, 60, 80, 100, 130, 160, 200, 300, 400].filter((t) => t < tMax).concat([tMax]);
    const sgd = onlineSgd({
      kernels: ctx.kernels,
      source: createImageSource(trainX, D, 'FashionMNIST train'),
      omega,
      testSet: testX,
      activation: 'erf',
      learningRate,
      initial: weights,
      times,
      rng: rng.fork('samples'),
    });
    const ode = odeFromWeights({ source: omega, weights, activation: 'erf', learningRate, times });
    let gap = 0;
    for (let i = 0; i < times.length; i++) gap = Math.max(gap, Math.abs(sgd.error[i] - ode.error[i]));
    const drop = ode.error[0] - ode.error[ode.error.length - 1];
    const pca = Array.from({ length: PCA_LEVELS }, (_, m) => {
      let top = 0;
      for (let i = 0; i < m; i++) top += omega.values[i];
      return 0.5 * (omega.traceOmegaOverD - top / D);
    });
    return {
      predicted: ode.error[ode.error.length - 1],
      observed: sgd.error[sgd.error.length - 1],
      error: gap / drop,
      allowed: RELATIVE_GAP,
      metric: 'max_t |ε_SGD − ε_ODE| / (ε(0) − ε_ODE(t_end))',
      details: {
        source: trainSet.source,
        trainImages: trainSet.count,
        testImages: testSet.count,
        maxGap: gap,
        totalDrop: drop,
        sgdError: sgd.error,
        odeError: ode.error,
        times,
        traceOmegaOverD: omega.traceOmegaOverD,
      },
      plots: [
        errorPlot(
          'fmnist-eps',
          `FashionMNIST, erf, K = ${K}: ODE (784 directions of Ω_test) vs SGD on real images`,
          [
            { name: 'ODE', times: ode.times, error: ode.error },
            { name: 'SGD (test images)', times: sgd.times, error: sgd.error, style: 'points' },
          ],
          pca,
        ),
      ],
    };
  },
});

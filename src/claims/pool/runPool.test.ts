import { describe, expect, test } from 'vitest';
import { catalog } from '../catalog.ts';
import { sampleParams } from '../domain.ts';
import type { ClaimTask } from './runTask.ts';
import { openblasLibrary } from '../../kernels/openblas/openblasLibrary.ts';
import { probeBackends } from '../../kernels/registry.ts';
import { blasThreadsPerRun, costliestFirst, pinBlasThreads, runPool } from './runPool.ts';
import { scaledTimeout } from '../../testing/scaledTimeout.ts';

/** Cheap claims of each kind (exact, statistical through kernels, simulation) — a few runs each. */
const IDS = ['shevchenko2023.sheppard-arcsin', 'shevchenko2023.risk-monte-carlo', 'persianrug2024.loss-identities'];

function tasks(): ClaimTask[] {
  const out: ClaimTask[] = [];
  for (const id of IDS) {
    const claim = catalog.find((c) => c.id === id);
    if (!claim) throw new Error(`no claim ${id}`);
    sampleParams(claim.domain, claim.defaults, 3, 11, id, claim.regime).forEach((params, run) => {
      // Costs out of task order, so the workers take the tasks in another order than the results come back in.
      const cost = (out.length * 7) % 5;
      out.push({ index: out.length, claimId: id, run, params, seed: 11, scale: 'quick', backend: 'reference', cost });
    });
  }
  // The same runs of the GEMM-backed claim on `auto` too (OpenBLAS where it loads, in the workers as in this thread).
  const mc = catalog.find((c) => c.id === 'shevchenko2023.risk-monte-carlo');
  if (!mc) throw new Error('no claim shevchenko2023.risk-monte-carlo');
  sampleParams(mc.domain, mc.defaults, 3, 11, mc.id, mc.regime).forEach((params, run) => {
    out.push({ index: out.length, claimId: mc.id, run, params, seed: 11, scale: 'quick', backend: 'auto', cost: 1 });
  });
  return out;
}

/** Everything but the wall time. */
function strip(results: readonly unknown[]): unknown[] {
  return results.map((r) => ({ ...(r as Record<string, unknown>), ms: 0 }));
}

const openblasOk = (await probeBackends()).find((s) => s.id === 'openblas')?.available === true;

describe('BLAS threads of verify runs', () => {
  test('one per run for any number of workers, unless AECHECK_THREADS says otherwise', () => {
    const before = process.env.AECHECK_THREADS;
    try {
      delete process.env.AECHECK_THREADS;
      expect(blasThreadsPerRun()).toBe(1);
      process.env.AECHECK_THREADS = '3';
      expect(blasThreadsPerRun()).toBe(3);
    } finally {
      if (before === undefined) delete process.env.AECHECK_THREADS;
      else process.env.AECHECK_THREADS = before;
    }
  });
  test.skipIf(!openblasOk)("--jobs 1 pins the loaded OpenBLAS to the runs' thread count and puts it back after", () => {
    const library = openblasLibrary();
    const before = library.threads();
    try {
      library.setThreads(2);
      const restore = pinBlasThreads(1);
      expect(library.threads()).toBe(1);
      restore();
      expect(library.threads()).toBe(2);
    } finally {
      library.setThreads(before);
    }
  });
  test.skipIf(!openblasOk)(
    `runPool with --jobs 1 runs its tasks on one BLAS thread and restores the count after${openblasOk ? '' : ' — skipped: libopenblas.so.0 does not load (apt-get install libopenblas0-pthread)'}`,
    async () => {
      const library = openblasLibrary();
      const before = library.threads();
      const envBefore = process.env.AECHECK_THREADS;
      try {
        delete process.env.AECHECK_THREADS;
        library.setThreads(2);
        const during: number[] = [];
        await runPool(tasks().slice(0, 2), {
          jobs: 1,
          onResult: () => {
            during.push(library.threads());
          },
        });
        expect(during).toEqual([1, 1]);
        expect(library.threads()).toBe(2);
      } finally {
        library.setThreads(before);
        if (envBefore === undefined) delete process.env.AECHECK_THREADS;
        else process.env.AECHECK_THREADS = envBefore;
      }
    },
  );
});

describe('verify --jobs', () => {
  test('workers take the costliest tasks first, equal costs in task order', () => {
    const t = (index: number, cost?: number): ClaimTask => ({
      index,
      claimId: 'c',
      run: index,
      params: {},
      seed: 1,
      scale: 'quick',
      backend: 'reference',
      cost,
    });
    const order = costliestFirst([t(0, 1), t(1), t(2, 5), t(3, 1), t(4, 5), t(5, 0)]).map((x) => x.index);
    expect(order).toEqual([2, 4, 0, 3, 1, 5]);
  });

  test('results on 2 worker threads are bit-identical to one thread, in task order', {
    timeout: scaledTimeout(300_000),
  }, async () => {
    const list = tasks();
    const one = await runPool(list, { jobs: 1 });
    const seen: number[] = [];
    const two = await runPool(list, { jobs: 2, onResult: (_t, _r, done) => seen.push(done) });
    expect(strip(two)).toEqual(strip(one));
    expect(seen).toEqual(list.map((_, i) => i + 1));
    expect(one.every((r) => r.status === 'pass')).toBe(true);
  });
});

describe('a backend that cannot load where the task runs', () => {
  test('is a visible skip with the reason, not a crash of the run', async () => {
    const { runTask } = await import('./runTask.ts');
    const { probeBackends } = await import('../../kernels/registry.ts');
    const missing = (await probeBackends()).find((s) => !s.available);
    if (!missing) return; // every backend works here: nothing to show
    const result = await runTask({
      index: 0,
      claimId: 'shevchenko2023.sheppard-arcsin',
      run: 0,
      params: { dim: 20, overlap: 0.6, vectorSeed: 5 },
      seed: 1,
      scale: 'quick',
      backend: missing.id,
    });
    expect(result.status).toBe('skipped');
    if (result.status === 'skipped') expect(result.reason).toContain(`Backend ${missing.id} is unavailable`);
  });
});

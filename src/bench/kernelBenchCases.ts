import { type BenchCase, benchCase } from './benchFile.ts';
import type { BenchRow } from './runKernelBench.ts';

/** The case name of a kernel-bench row: `kernel/backend/size`, e.g. `gemm/wasm/64`. */
export function kernelCaseId(kernel: string, backend: string, size: number): string {
  return `${kernel}/${backend}/${size}`;
}

/** The timed rows of a kernel bench as saved cases (wrong results and unavailable backends have no samples). */
export function kernelBenchCases(rows: readonly BenchRow[]): BenchCase[] {
  const out: BenchCase[] = [];
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    out.push(
      benchCase(kernelCaseId(r.kernel, r.backend, r.size), r.sampleSeconds, {
        kernel: r.kernel,
        backend: r.backend,
        ranOn: r.ranOn,
        size: r.size,
        rate: Number(r.rate.toPrecision(4)),
        rateUnit: r.rateUnit,
      }),
    );
  }
  return out;
}

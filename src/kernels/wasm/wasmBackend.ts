/**
 * The `wasm` backend: float64 kernels in WebAssembly with 128-bit SIMD. It implements `gemm` (gemm.wat: 4×4 blocks
 * in f64x2 registers, 17–26 GFLOP/s on one core here against the reference's 5–8 with two), the sparse encoder and
 * its gradient (rows of length m scaled and added in f64x2, four a pass; the gradient's nonzeros regrouped by column
 * first, so that each output row is written once) and the online-SGD step (onlineSgd.ts); every other kernel
 * runs on `reference` (visible in the KernelSet's `resolved`). Each entry is one sum in the reference's order (the reduction index increasing; the
 * nonzeros in order), so the two backends give the same bits (properties/kernels.property.ts).
 *
 * Operands are copied into the module's memory (O(m·k + k·n + m·n), small against the O(m·n·k) product) and the result
 * copied out; the memory grows to the largest call and is reused.
 */
import { checkGemmArgs, checkSparseEncodeArgs, checkSparseGradientArgs, nonzeroIndexError } from '../checkArgs.ts';
import type { Backend, GemmArgs, SparseEncodeArgs, SparseGradientArgs } from '../kernelSpecs.ts';
import { transposeBlocked } from '../reference/gemm.ts';
import { GEMM_WASM_BASE64 } from './gemmWasm.generated.ts';
import { onlineSgdStepper } from './onlineSgd.ts';
import { probeOnlineSgdWasm } from './onlineSgdWasm.ts';
import { WA } from './wasmModule.ts';
import { wasmUsage } from './wasmUsage.ts';

interface GemmExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  gemm(
    a: number,
    sr: number,
    sc: number,
    b: number,
    ldb: number,
    p: number,
    ldp: number,
    m: number,
    n: number,
    k: number,
    pk: number,
  ): void;
  gatherRows(out: number, w: number, vals: number, idx: number, counts: number, rows: number, m: number): void;
  scatterRows(
    out: number,
    g: number,
    vals: number,
    idx: number,
    counts: number,
    rows: number,
    m: number,
    cols: number,
    colStart: number,
    next: number,
    rowOf: number,
    valOf: number,
  ): void;
}

/** Creates the backend, or throws with the reason it cannot run here. */
export function createWasmBackend(): Backend {
  if (!WA) throw new Error('WebAssembly is not available in this runtime');
  const bytes = Buffer.from(GEMM_WASM_BASE64, 'base64');
  if (!WA.validate(bytes)) throw new Error('this runtime rejects WebAssembly 128-bit SIMD');
  const ex = new WA.Instance(new WA.Module(bytes), {}).exports as GemmExports;
  wasmUsage.instances++;
  const sgd = probeOnlineSgdWasm();
  if (!sgd.available) throw new Error(`the online-SGD module cannot load: ${sgd.reason}`);

  const ensure = (bytesNeeded: number): ArrayBuffer => {
    const have = ex.memory.buffer.byteLength;
    if (bytesNeeded > have) ex.memory.grow(Math.ceil((bytesNeeded - have) / 65536));
    return ex.memory.buffer;
  };

  const gemm = (args: GemmArgs): Float64Array => {
    checkGemmArgs(args);
    wasmUsage.kernelCalls++;
    const { m, n, k, transA = false, transB = false, alpha = 1, beta = 0 } = args;
    if (m === 0 || n === 0 || k === 0 || alpha === 0) {
      const c = new Float64Array(m * n);
      if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] = beta * args.c[i];
      return c;
    }
    // Layout: A as stored (m×k, or k×m when transA: strides swap), B as k×n row-major (packed when transB), then P.
    const aBytes = m * k * 8;
    const bBytes = k * n * 8;
    const pBytes = m * n * 8;
    const buffer = ensure(aBytes + bBytes + pBytes + k * 32);
    // op(A) = Aᵀ is packed (transposed) rather than read with a row stride: reading Aᵀ in place steps through A by
    // whole rows, and with power-of-two row lengths those loads alias in the cache (2× slower at k = 1024).
    new Float64Array(buffer, 0, m * k).set(transA ? transposeBlocked(args.a, k, m) : args.a.subarray(0, m * k));
    new Float64Array(buffer, aBytes, k * n).set(transB ? transposeBlocked(args.b, n, k) : args.b.subarray(0, k * n));
    ex.gemm(0, k * 8, 8, aBytes, n * 8, aBytes + bBytes, n * 8, m, n, k, aBytes + bBytes + pBytes);
    const product = new Float64Array(buffer, aBytes + bBytes, m * n);
    const c = args.out ?? new Float64Array(m * n);
    c.set(product);
    // The full product is computed even when `symmetric`: it equals the mirrored one exactly.
    if (alpha !== 1) for (let i = 0; i < m * n; i++) c[i] *= alpha;
    if (beta !== 0 && args.c) for (let i = 0; i < m * n; i++) c[i] += beta * args.c[i];
    return c;
  };

  /**
   * Lays out the nonzeros of X compactly (values, column indices, counts) after `dense` f64 of other data, and runs
   * gatherRows, or scatterRows with its scratch (the nonzeros regrouped by column), into an output of `outLength` f64
   * (every entry written); returns the output view.
   */
  const sparse = (
    kernel: 'sparseEncode' | 'sparseGradient',
    args: { rows: number; cols: number; x?: Float64Array; nz: Int32Array; counts: Int32Array; values?: Float64Array },
    dense: Float64Array,
    outLength: number,
    m: number,
    scatter: boolean,
  ): Float64Array => {
    const { rows, cols, x, nz, counts, values } = args;
    let nnz = 0;
    for (let s = 0; s < rows; s++) nnz += counts[s];
    const denseBytes = dense.length * 8;
    const valsAt = denseBytes;
    const idxAt = valsAt + nnz * 8;
    const countsAt = idxAt + Math.ceil((nnz * 4) / 8) * 8;
    const outAt = countsAt + Math.ceil((rows * 4) / 8) * 8;
    // scatterRows' scratch: colStart (cols + 1 i32), next (cols i32), rowOf (nnz i32), valOf (nnz f64).
    const colStartAt = outAt + outLength * 8;
    const nextAt = colStartAt + Math.ceil(((cols + 1) * 4) / 8) * 8;
    const rowOfAt = nextAt + Math.ceil((cols * 4) / 8) * 8;
    const valOfAt = rowOfAt + Math.ceil((nnz * 4) / 8) * 8;
    const buffer = ensure(scatter ? valOfAt + nnz * 8 : colStartAt);
    new Float64Array(buffer, 0, dense.length).set(dense);
    const vals = new Float64Array(buffer, valsAt, nnz);
    const idx = new Int32Array(buffer, idxAt, nnz);
    new Int32Array(buffer, countsAt, rows).set(counts.subarray(0, rows));
    // The columns are checked here, as they are copied (the argument check left them: one pass instead of two), before
    // the module reads any of them.
    let q = 0;
    if (values) {
      // Row s's values are contiguous here: a sequential copy, no access to the dense X.
      for (let s = 0; s < rows; s++) {
        for (let c = 0; c < counts[s]; c++) {
          const j = nz[s * cols + c];
          if (!(j >= 0 && j < cols)) throw nonzeroIndexError(kernel, cols, s, c, j);
          idx[q] = j;
          vals[q++] = values[s * cols + c];
        }
      }
    } else {
      for (let s = 0; s < rows; s++) {
        for (let c = 0; c < counts[s]; c++) {
          const j = nz[s * cols + c];
          if (!(j >= 0 && j < cols)) throw nonzeroIndexError(kernel, cols, s, c, j);
          idx[q] = j;
          vals[q++] = (x as Float64Array)[s * cols + j];
        }
      }
    }
    if (scatter) ex.scatterRows(outAt, 0, valsAt, idxAt, countsAt, rows, m, cols, colStartAt, nextAt, rowOfAt, valOfAt);
    else ex.gatherRows(outAt, 0, valsAt, idxAt, countsAt, rows, m);
    return new Float64Array(buffer, outAt, outLength);
  };

  const sparseEncode = (args: SparseEncodeArgs): Float64Array => {
    checkSparseEncodeArgs(args, false);
    wasmUsage.kernelCalls++;
    const { rows, cols, outputs: m } = args;
    // W as cols×outputs (feature j's weights contiguous).
    const wT = args.transW ? args.w.subarray(0, cols * m) : transposeBlocked(args.w, m, cols);
    const h = sparse('sparseEncode', args, wT, rows * m, m, false);
    if (args.out) {
      args.out.set(h);
      return args.out;
    }
    return new Float64Array(h);
  };

  const sparseGradient = (args: SparseGradientArgs): Float64Array => {
    checkSparseGradientArgs(args, false);
    wasmUsage.kernelCalls++;
    const { rows, cols, outputs: m } = args;
    const g = sparse('sparseGradient', args, args.g.subarray(0, rows * m), cols * m, m, true);
    if (args.out) {
      args.out.set(g);
      return args.out;
    }
    return new Float64Array(g);
  };

  return {
    id: 'wasm',
    precision: 'float64',
    bitExact: true,
    kernels: { gemm, sparseEncode, sparseGradient, onlineSgdStepper },
  };
}

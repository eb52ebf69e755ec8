/**
 * The system OpenBLAS (`libopenblas.so.0`), called through the FFI library koffi (prebuilt; no compiler needed). Loaded
 * once per process, on first use; its thread count is set from AECHECK_THREADS (default every core). TypedArrays are
 * passed to the C functions by pointer (koffi pins them for the call; nothing is copied). Besides the BLAS routines it
 * binds LAPACK's dsyevd_, dpotrf_ and dpotrs_ when the library has them (the data side's eigensolver,
 * src/sim/symmetricEigenSolver.ts, and the simulations' positive-definite solves, src/sim/spdSolver.ts).
 */
import { createRequire } from 'node:module';
import { threadCount } from '../threads.ts';

/** CBLAS enum values (cblas.h). */
export const CBLAS = { rowMajor: 101, noTrans: 111, trans: 112, upper: 121 } as const;

/** The shared object loaded, and the Debian package that provides it. */
export const OPENBLAS_SONAME = 'libopenblas.so.0';
/** How to install it (the fix named by the probe's reason). */
export const OPENBLAS_FIX = 'apt-get install libopenblas0-pthread';

type Real = Float64Array | Float32Array;
/** cblas_?gemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc). */
type GemmFn = (
  order: number,
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Real,
  lda: number,
  b: Real,
  ldb: number,
  beta: number,
  c: Real,
  ldc: number,
) => void;
/** cblas_?syrk(order, uplo, trans, N, K, alpha, A, lda, beta, C, ldc). */
type SyrkFn = (
  order: number,
  uplo: number,
  trans: number,
  n: number,
  k: number,
  alpha: number,
  a: Real,
  lda: number,
  beta: number,
  c: Real,
  ldc: number,
) => void;
/** cblas_?gemv(order, trans, M, N, alpha, A, lda, X, incX, beta, Y, incY). */
type GemvFn = (
  order: number,
  trans: number,
  m: number,
  n: number,
  alpha: number,
  a: Real,
  lda: number,
  x: Real,
  incX: number,
  beta: number,
  y: Real,
  incY: number,
) => void;

/**
 * LAPACK's dsyevd_ (Fortran interface: every argument by pointer, the two CHARACTER lengths appended as size_t, as
 * gfortran passes them): dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, len(jobz), len(uplo)).
 * Column-major; on exit `a` holds the eigenvectors (column j for w[j]) and `w` the eigenvalues in ascending order.
 */
export type DsyevdFn = (
  jobz: string,
  uplo: string,
  n: Int32Array,
  a: Float64Array,
  lda: Int32Array,
  w: Float64Array,
  work: Float64Array,
  lwork: Int32Array,
  iwork: Int32Array,
  liwork: Int32Array,
  info: Int32Array,
  jobzLength: number,
  uploLength: number,
) => void;

/**
 * LAPACK's dpotrf_ (Cholesky factor of a symmetric positive-definite matrix, in place): dpotrf(uplo, n, a, lda, info,
 * len(uplo)). Column-major; info > 0 names the order of the first leading minor that is not positive definite.
 */
export type DpotrfFn = (
  uplo: string,
  n: Int32Array,
  a: Float64Array,
  lda: Int32Array,
  info: Int32Array,
  uploLength: number,
) => void;

/**
 * LAPACK's dpotrs_ (solves A X = B from dpotrf's factor, B overwritten by X): dpotrs(uplo, n, nrhs, a, lda, b, ldb,
 * info, len(uplo)). Column-major.
 */
export type DpotrsFn = (
  uplo: string,
  n: Int32Array,
  nrhs: Int32Array,
  a: Float64Array,
  lda: Int32Array,
  b: Float64Array,
  ldb: Int32Array,
  info: Int32Array,
  uploLength: number,
) => void;

/** The LAPACK routines used (float64 only); an OpenBLAS built without LAPACK lacks them. */
export interface LapackRoutines {
  dsyevd: DsyevdFn;
  dpotrf: DpotrfFn;
  dpotrs: DpotrsFn;
}

/** The BLAS routines of one precision. */
export interface BlasRoutines {
  gemm: GemmFn;
  syrk: SyrkFn;
  gemv: GemvFn;
}

/** The loaded library. */
export interface OpenblasLibrary {
  readonly f64: BlasRoutines;
  readonly f32: BlasRoutines;
  /** LAPACK's routines, or why they are missing (an OpenBLAS built without LAPACK still serves the BLAS kernels). */
  readonly lapack: { available: true; routines: LapackRoutines } | { available: false; reason: string };
  /** OpenBLAS's build configuration and the core type it selected (e.g. "Haswell"; OPENBLAS_CORETYPE overrides it). */
  readonly config: string;
  readonly coreName: string;
  /** Sets the threads every later call uses (process-wide). */
  setThreads(threads: number): void;
  threads(): number;
}

let loaded: { library?: OpenblasLibrary; error?: Error } | undefined;
const require = createRequire(import.meta.url);

interface Koffi {
  load(path: string): { func(signature: string): (...args: unknown[]) => unknown };
}

/**
 * Loads `soname` (default libopenblas.so.0) without caching; throws with the reason and the fix when koffi or the
 * library cannot load. Use {@link openblasLibrary} (loaded once per process) everywhere else.
 */
export function loadOpenblasLibrary(soname: string = OPENBLAS_SONAME): OpenblasLibrary {
  let koffi: Koffi;
  try {
    koffi = require('koffi') as Koffi;
  } catch (e) {
    throw new Error(
      `the FFI module koffi cannot load (${String((e as Error).message).split('\n')[0]}); it is a dependency of aecheck: run \`npm install\``,
    );
  }
  let lib: ReturnType<Koffi['load']>;
  try {
    lib = koffi.load(soname);
  } catch (e) {
    throw new Error(
      `${soname} cannot be loaded (${String((e as Error).message).split('\n')[0]}); install the system OpenBLAS: \`${OPENBLAS_FIX}\``,
    );
  }
  const routines = (t: 'd' | 's', real: 'double' | 'float'): BlasRoutines => ({
    gemm: lib.func(
      `void cblas_${t}gemm(int, int, int, int, int, int, ${real}, ${real} *, int, ${real} *, int, ${real}, _Inout_ ${real} *, int)`,
    ) as GemmFn,
    syrk: lib.func(
      `void cblas_${t}syrk(int, int, int, int, int, ${real}, ${real} *, int, ${real}, _Inout_ ${real} *, int)`,
    ) as SyrkFn,
    gemv: lib.func(
      `void cblas_${t}gemv(int, int, int, int, ${real}, ${real} *, int, ${real} *, int, ${real}, _Inout_ ${real} *, int)`,
    ) as GemvFn,
  });
  const setThreads = lib.func('void openblas_set_num_threads(int)') as (n: number) => void;
  const getThreads = lib.func('int openblas_get_num_threads()') as () => number;
  const config = lib.func('const char *openblas_get_config()') as () => string;
  const coreName = lib.func('const char *openblas_get_corename()') as () => string;
  let lapack: OpenblasLibrary['lapack'];
  let routine = 'dsyevd_';
  try {
    const dsyevd = lib.func(
      'void dsyevd_(const char *, const char *, int *, _Inout_ double *, int *, _Inout_ double *, _Inout_ double *, int *, _Inout_ int *, int *, _Inout_ int *, size_t, size_t)',
    ) as DsyevdFn;
    routine = 'dpotrf_';
    const dpotrf = lib.func(
      'void dpotrf_(const char *, int *, _Inout_ double *, int *, _Inout_ int *, size_t)',
    ) as DpotrfFn;
    routine = 'dpotrs_';
    const dpotrs = lib.func(
      'void dpotrs_(const char *, int *, int *, double *, int *, _Inout_ double *, int *, _Inout_ int *, size_t)',
    ) as DpotrsFn;
    lapack = { available: true, routines: { dsyevd, dpotrf, dpotrs } };
  } catch (e) {
    lapack = {
      available: false,
      reason: `${soname} has no LAPACK ${routine} (${String((e as Error).message).split('\n')[0]}); install the system OpenBLAS with LAPACK: \`${OPENBLAS_FIX}\``,
    };
  }
  const library: OpenblasLibrary = {
    f64: routines('d', 'double'),
    f32: routines('s', 'float'),
    lapack,
    config: config(),
    coreName: coreName(),
    setThreads: (n) => setThreads(n),
    threads: () => getThreads(),
  };
  library.setThreads(threadCount());
  return library;
}

/** The library, loaded on first call; throws (every time) with the reason and the fix when it cannot load. */
export function openblasLibrary(): OpenblasLibrary {
  if (!loaded) {
    try {
      loaded = { library: loadOpenblasLibrary() };
    } catch (e) {
      loaded = { error: e as Error };
    }
  }
  if (loaded.error) throw loaded.error;
  return loaded.library as OpenblasLibrary;
}

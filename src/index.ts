/**
 * aecheck's public API: define claims (theory against simulation, judged by named checks), run them, write reports,
 * and reach the built-in claims, theory functions and kernel backends. `aecheck/vitest` adds `claimProperty`, which
 * turns a claim into a fast-check property under vitest.
 *
 * @example
 * ```ts
 * import { defineClaim, relativeTo, runClaims, writeReport } from 'aecheck';
 * const myClaim = defineClaim({ id: 'mypaper2025.identity', paper: 'mypaper2025', ..., measure: (p, ctx) => ({
 *   checks: [relativeTo('value', measured, predicted, 1e-12)] }) });
 * const report = await runClaims({ claims: [myClaim], seed: 7 });
 * await writeReport(report, 'reports/mine');
 * ```
 */

// Claims: the type, the check builders, negative controls, running.
export type { Check, JudgedCheck } from './claims/check.ts';
export { judgeCheck } from './claims/check.ts';
export type {
  AnyClaim,
  BuiltinPaperId,
  Claim,
  ClaimKind,
  ClaimResult,
  ClaimSource,
  Confidence,
  Domain,
  DomainField,
  JudgedMeasurement,
  MeasureContext,
  MeasureFn,
  Measurement,
  NegativeControl,
  PaperId,
  ParamsOf,
  Scale,
  ScaleBudget,
} from './claims/claim.ts';
export { defineClaim, PAPER_IDS } from './claims/claim.ts';
export type { PlotSeries, PlotSpec } from './claims/plotSpec.ts';
export {
  atLeast,
  atMost,
  closeTo,
  inBand,
  monteCarloMean,
  relativeTo,
  withinUlps,
  Z_DEFAULT,
} from './claims/support/checks.ts';
export { gaussianSampleMean } from './claims/support/gaussianSampleMean.ts';
export type { RunClaimOptions } from './claims/runClaim.ts';
export { runClaim } from './claims/runClaim.ts';
export type { RunClaimsOptions } from './claims/runClaims.ts';
export { runClaims } from './claims/runClaims.ts';
export type { ControlOutcome } from './claims/runControl.ts';
export { runControl } from './claims/runControl.ts';
export { allClaims, catalog, claimsOfPaper, findClaim, registerClaims } from './claims/catalog.ts';
export { loadClaimModule } from './claims/loadClaims.ts';
export { sampleParams, stratifiedDraws } from './claims/domain.ts';
export { defineConfig } from './cli/config.ts';

// Theory functions (float64, deterministic) and kernel backends.
export type { AnyTheoryFunction } from './theory/theoryFunction.ts';
export { theoryCatalog } from './theory/catalog.ts';
export type { BackendStatus } from './kernels/registry.ts';
export { availableBackendIds, defaultBackendId, getKernelSet, probeBackends } from './kernels/registry.ts';
export type { KernelSet } from './kernels/kernelSpecs.ts';

// Real data: FashionMNIST (--data DIR, AECHECK_FASHION_MNIST_DIR, Debian's package, the fixtures subset).
export type { FashionMnist, FashionMnistSource, LoadFashionMnistOptions } from './data/fashionMnist.ts';
export { fashionMnistSourceText, loadFashionMnist } from './data/fashionMnist.ts';

// Reports.
export type { Report, ReportCheck, ReportClaim, ReportResult } from './report/reportSchema.ts';
export { reportSchema } from './report/reportSchema.ts';
export { buildReport } from './report/buildReport.ts';
export { compareReports } from './report/compareReports.ts';
export { mergeReports } from './report/mergeReports.ts';
export { reportJunit } from './report/junit.ts';
export { reportMarkdown, writeReport } from './report/writeReport.ts';

// Errors and the seeded random stream.
export { AecheckError, DivergenceError, SkipClaim, ValidationError } from './core/errors.ts';
export type { Rng } from './core/rng.ts';
export { createRng } from './core/rng.ts';
export { VERSION } from './version.ts';

import type { Progress } from '../core/progress.ts';
import type { Rng } from '../core/rng.ts';
import type { BackendId, KernelSet } from '../kernels/kernelSpecs.ts';
import type { Check, JudgedCheck } from './check.ts';
import type { PlotSpec } from './plotSpec.ts';

/** The papers built into aecheck (`foundation` holds the shared mathematical checks). */
export const PAPER_IDS = ['foundation', 'refinetti2022', 'shevchenko2023', 'persianrug2024'] as const;
/** A built-in paper. */
export type BuiltinPaperId = (typeof PAPER_IDS)[number];
/**
 * A paper identifier: a built-in one, or a user's own (lowercase letters, digits and hyphens, e.g. `smith2025`), for
 * claims loaded with `verify --claims FILE` or an `aecheck.config.ts`.
 */
export type PaperId = BuiltinPaperId | (string & {});

/** `exact`: an identity; `numerical`: a numerical method's accuracy; `statistical`: simulation against theory. */
export type ClaimKind = 'exact' | 'numerical' | 'statistical';

/** `quick`: small sizes for CI; `paper`: the paper's sizes. */
export type Scale = 'quick' | 'paper';

/** How sure we are of the restatement: where it comes from and how far it was checked (see docs/confidence.md). */
export type Confidence = 'PAPER' | 'PAPER?' | 'CODE' | 'DERIVED' | 'NUM' | 'SRC' | 'DER' | 'REC';

/** Where a claim comes from. */
export interface ClaimSource {
  paper: PaperId;
  /**
   * The paper's section, equation or proposition and/or the label in the paper's theory doc, e.g.
   * `eq. (1); docs/theory-refinetti2022.md (E1)`.
   */
  where: string;
  confidence: Confidence;
  note?: string;
}

/**
 * One parameter of a claim's declarative domain. `log`: spread draws (and `explore`'s axis) evenly in log space, for a
 * scale parameter such as a dimension or a learning rate (an int field's draws are rounded).
 */
export type DomainField =
  | { kind: 'int'; min: number; max: number; doc: string; log?: boolean }
  | { kind: 'float'; min: number; max: number; doc: string; log?: boolean }
  | { kind: 'choice'; values: readonly string[]; doc: string }
  | { kind: 'seed'; doc: string };

/** A claim's parameter domain: turned into a zod schema and a fast-check arbitrary in one place (`domain.ts`). */
export type Domain = Record<string, DomainField>;

/** The parameter object a domain describes. */
export type ParamsOf<D extends Domain> = {
  [K in keyof D]: D[K] extends { kind: 'choice'; values: readonly (infer V)[] } ? V : number;
};

/**
 * Where a claim is asserted to hold, when that is narrower than its domain: e.g. the Persian Rug's high-sparsity
 * ratio band holds only for (1/r − 1)·p small. `verify` and the property suite draw parameters inside the regime
 * (explicit `--params` outside it are a validation error naming the regime); `aecheck explore` maps the whole domain,
 * outside the regime too, and marks the regime's edge on the map, so a map can confirm or correct the constant
 * (docs/regimes.md).
 */
export interface Regime<D extends Domain = Domain> {
  /** The condition in words, and the evidence for it (a paper's statement, or the map that located it). */
  description: string;
  /** True where the claim is asserted to hold. */
  holds(params: ParamsOf<D>): boolean;
}

/** Runs and sizes at one scale. */
export interface ScaleBudget<S> {
  /** Parameter draws (`verify`) or fast-check runs (properties). */
  runs: number;
  sizes: S;
  /**
   * Run 0's parameters at this scale, over the claim's `defaults`: e.g. the paper's dimension at paper scale, when the
   * dimension is a domain field (so that maps can use it as an axis) but the paper's value is too costly for CI.
   */
  defaults?: Readonly<Record<string, number | string>>;
  /**
   * Narrower ranges of numeric fields for this scale's draws (`verify` and the property suite), inside the domain: e.g.
   * cheap dimensions at quick scale. `explore` maps the whole domain whatever the scale.
   */
  ranges?: Readonly<Record<string, { min: number; max: number }>>;
  /**
   * About how many CPU seconds one run takes (measured at quick scale; at paper scale taken from the paper-scale
   * timings in docs/ or a FLOP count; default 0, i.e. cheap). Only a scheduling hint: `verify --jobs`
   * starts the costliest runs first, so that no long run starts last and leaves the other workers idle. Not a limit.
   */
  cpuSeconds?: number;
}

/** What `measure` receives besides its parameters. */
export interface MeasureContext<S> {
  /** The claim's random stream for this run (derived from the seed). */
  readonly rng: Rng;
  readonly seed: number;
  readonly scale: Scale;
  readonly sizes: S;
  readonly kernels: KernelSet;
  readonly progress: Progress;
  log(message: string): void;
}

/** What `measure` returns: its named checks (at least one), with details and plots for the report. */
export interface Measurement {
  /** The comparisons; the run's verdict is the worst of them (see `check.ts`). */
  checks: Check[];
  details?: Record<string, number | string | boolean | number[]>;
  plots?: PlotSpec[];
}

/** A measurement with every check judged (ratio, margin, pass) and the index of the worst check. */
export interface JudgedMeasurement {
  checks: JudgedCheck[];
  /** Index into `checks` of the worst check (largest error/allowed). */
  worst: number;
  details?: Record<string, number | string | boolean | number[]>;
  plots?: PlotSpec[];
}

/** The measure function of a claim. */
export type MeasureFn<D extends Domain, S> = (
  params: ParamsOf<D>,
  ctx: MeasureContext<S>,
) => Measurement | Promise<Measurement>;

/**
 * A negative control: the claim's own measurement run on a deliberately wrong input (a perturbed prediction, a no-op
 * optimiser, a transposed matrix, a wrong gradient, a feature never active). It must FAIL — the evidence that the
 * claim's checks can fail. `properties/negativeControls.property.ts` runs every control of every claim.
 */
export interface NegativeControl<D extends Domain = Domain, S = unknown> {
  /** Short name, e.g. `no-op-optimiser`. */
  name: string;
  /** What is wrong, in words. */
  description: string;
  /** The claim's measurement with the wrong input (usually the same code built with a broken dependency). */
  measure: MeasureFn<D, S>;
  /** Parameters (merged over the claim's defaults). */
  params?: Partial<ParamsOf<D>>;
  /** The checks that must fail (default: any). Naming them shows the right check caught it. */
  catches?: readonly string[];
}

/** A claim: plain data plus `measure`. Shared by the CLI, the property tests and the reports. */
export interface Claim<D extends Domain = Domain, S = unknown> {
  /** `<paper>.<slug>`, e.g. `refinetti2022.sequential-pcs`. */
  id: string;
  paper: PaperId;
  title: string;
  /** The proposition in words. */
  statement: string;
  source: ClaimSource;
  kind: ClaimKind;
  domain: D;
  /** Where inside the domain the claim holds, when narrower than the domain (see {@link Regime}). */
  regime?: Regime<D>;
  /** Parameters of run 0 of `verify` (later runs draw from the domain). */
  defaults: ParamsOf<D>;
  tolerance: { description: string; reason: string };
  budget: { quick: ScaleBudget<S>; paper: ScaleBudget<S> };
  measure: MeasureFn<D, S>;
  /** Wrong inputs the claim must FAIL on (see {@link NegativeControl}). */
  controls?: readonly NegativeControl<D, S>[];
  /**
   * Datasets the claim reads (`'fashion-mnist'`): the CLI checks where each comes from before running (`--data DIR`)
   * and prints it. Default: none (synthetic data only).
   */
  datasets?: readonly 'fashion-mnist'[];
  /**
   * Set instead of `controls` when no wrong input exists because the claim checks our own code against itself (an
   * identity); the statement must say so.
   */
  noControlReason?: string;
}

/** A claim of any domain and sizes (what catalogs hold). */
// biome-ignore lint/suspicious/noExplicitAny: a catalog holds claims of every parameter and size type.
export type AnyClaim = Claim<any, any>;

/** Fields common to every result. */
interface ResultBase {
  claimId: string;
  seed: number;
  run: number;
  backend: BackendId;
  scale: Scale;
  params: Record<string, unknown>;
  ms: number;
}

/** The outcome of running a claim once. */
export type ClaimResult =
  | (ResultBase & {
      status: 'pass' | 'fail';
      measurement: JudgedMeasurement;
      /** error/allowed of the worst check (NaN when a number is not finite). */
      ratio: number;
    })
  | (ResultBase & { status: 'error'; error: { name: string; message: string; step?: number } })
  | (ResultBase & { status: 'skipped'; reason: string });

/** Fixes the generic types of a claim (identity at run time). */
export function defineClaim<D extends Domain, S>(claim: Claim<D, S>): Claim<D, S> {
  return claim;
}

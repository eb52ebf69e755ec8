/**
 * Error types of aecheck. Every message says who raised it, what was received, what was expected and how to fix it.
 */

/** Format a value for an error message: short, JSON-like, never throwing. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined (missing)';
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** Base class: `code` is a stable machine-readable tag. */
export class AecheckError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Fields of a {@link ValidationError}. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `--scale` or `config.learningRate`. */
  field: string;
  /** The value that was received. */
  received: unknown;
  /** What was expected, in words, e.g. `a positive number`. */
  expected: string;
  /** How to fix it. */
  hint?: string;
}

/** Bad user input: a CLI flag, a config file field, a theory parameter or a function option. */
export class ValidationError extends AecheckError {
  readonly issues: readonly ValidationIssue[];
  constructor(issues: ValidationIssue | readonly ValidationIssue[]) {
    const list = Array.isArray(issues) ? (issues as readonly ValidationIssue[]) : [issues as ValidationIssue];
    const lines = list.map(
      (i) =>
        `${i.field}: received ${formatValue(i.received)}, expected ${i.expected}${i.hint ? ` (fix: ${i.hint})` : ''}`,
    );
    super('invalid-input', lines.length === 1 ? `Invalid ${lines[0]}` : `Invalid input:\n  ${lines.join('\n  ')}`);
    this.issues = list;
  }
}

/** Fields of a {@link DivergenceError}. */
export interface DivergenceInfo {
  /** Step (or iteration, or time) at which the non-finite value appeared. */
  step: number;
  /** Name of the quantity, e.g. `W` or `epsilon`. */
  quantity: string;
  /** The offending value (NaN or ±Infinity). */
  value: number;
  /** The configuration of the run, for replay. */
  config: Record<string, unknown>;
}

/** A run produced NaN or Infinity. It is reported as diverged, never written as a result. */
export class DivergenceError extends AecheckError {
  readonly info: DivergenceInfo;
  constructor(info: DivergenceInfo) {
    super(
      'diverged',
      `Run diverged at step ${info.step}: ${info.quantity} = ${formatValue(info.value)} with config ${formatValue(
        info.config,
      )} (fix: lower the learning rate or the initial scale)`,
    );
    this.info = info;
  }
}

/** A kernel backend that cannot run here; `reason` is the probe's answer. */
export class BackendUnavailableError extends AecheckError {
  readonly backend: string;
  readonly reason: string;
  constructor(backend: string, reason: string) {
    super('backend-unavailable', `Backend ${backend} is unavailable: ${reason}`);
    this.backend = backend;
    this.reason = reason;
  }
}

/** Thrown inside a claim's `measure` to mark it skipped (e.g. a dataset that is not installed). */
export class SkipClaim extends AecheckError {
  constructor(reason: string) {
    super('skipped', reason);
  }
}

/**
 * zod schemas of the CLI's flags. Commander gives strings; these schemas validate and convert them, and
 * {@link parseOptions} turns a zod failure into a ValidationError naming the flag, the value, what was expected and how
 * to fix it.
 */
import { z } from 'zod';
import { cleanZodMessage } from '../core/zodMessage.ts';
import { ValidationError } from '../core/errors.ts';
import { BACKEND_IDS } from '../kernels/kernelSpecs.ts';

/** A non-negative 32-bit integer seed given as a string. */
export const seedFlag = z
  .string()
  .regex(/^\d+$/, 'a non-negative integer')
  .transform(Number)
  .pipe(z.number().max(0xffffffff, 'at most 4294967295'));

/** `--shard i/n` (1 ≤ i ≤ n) as { index, count }: `verify` splits runs, `explore` splits the map into strips. */
export const shardFlag = z
  .string()
  .regex(/^\d+\/\d+$/, 'i/n with 1 ≤ i ≤ n, e.g. 2/4')
  .transform((t) => {
    const [index, count] = t.split('/').map(Number);
    return { index, count };
  })
  .refine((s) => s.count >= 1 && s.index >= 1 && s.index <= s.count, 'i/n with 1 ≤ i ≤ n, e.g. 2/4');

/** A positive integer given as a string. */
export const positiveIntFlag = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'a positive integer')
    .transform(Number)
    // The regex leaves integers only; no .int() here, which added zod's own "expected int to be <=2^53" line.
    .pipe(z.number().min(1, 'at least 1').max(max, `at most ${max}`));

/** Flags of `aecheck verify`. */
export const verifyOptionsSchema = z.strictObject({
  claim: z.array(z.string().min(1)).optional(),
  claims: z.array(z.string().min(1)).optional(),
  config: z.string().min(1).optional(),
  /** Checked against the papers that have claims (with did-you-mean) when the claims are selected. */
  paper: z.string().min(1).optional(),
  scale: z.enum(['quick', 'paper']).default('quick'),
  seed: seedFlag.optional(),
  runs: positiveIntFlag(10_000).optional(),
  jobs: positiveIntFlag(256).optional(),
  shard: shardFlag.optional(),
  baseline: z.string().min(1).optional(),
  marginTolerance: z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'a non-negative number, e.g. 0.1')
    .transform(Number)
    .optional(),
  junit: z.string().min(1).optional(),
  summary: z.string().min(1).optional(),
  backend: z.enum([...BACKEND_IDS, 'all']).optional(),
  json: z.boolean().default(false),
  report: z.string().min(1).optional(),
  data: z.string().min(1).optional(),
  params: z
    .string()
    .transform((text, ctx) => {
      try {
        const v = JSON.parse(text);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        return v as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'a JSON object, e.g. \'{"dim":20}\'' });
        return z.NEVER;
      }
    })
    .optional(),
  plots: z.boolean().default(true),
  progress: z.boolean().default(true),
  outsideRegime: z.boolean().default(false),
});
/** Parsed flags of `aecheck verify`. */
export type VerifyOptions = z.infer<typeof verifyOptionsSchema>;

/** Flag name of an option key (camelCase → --kebab-case). */
export function flagName(key: string): string {
  // A repeatable flag's issue has the index in its path (backend.0): the flag is named without it.
  return `--${key.replace(/\.\d+/g, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * What a zod issue expected, in words: zod's default messages ("Too small: expected number to be >=1", "Invalid input:
 * expected number, received NaN") are rewritten from the issue's fields; a message the schema gave is kept.
 */
export function expectedOf(issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (issue.code === 'too_small' && /^Too small/.test(m)) {
    if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'a non-empty value';
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' values' : '';
    return `${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}${unit}`;
  }
  if (issue.code === 'too_big' && /^Too big/.test(m)) {
    return `${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
  }
  if (issue.code === 'invalid_type' && /^Invalid input/.test(m)) return `a ${issue.expected}`;
  if (issue.code === 'invalid_value' && /^Invalid (option|input)/.test(m)) {
    return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return cleanZodMessage(m);
}

/** Hints per flag, for error messages. */
const HINTS: Record<string, string> = {
  '--scale': 'use --scale quick or --scale paper',
  '--backend': `use one of ${BACKEND_IDS.join(', ')} or all (see \`aecheck bench\` for what is available)`,
  '--seed': 'give an integer such as --seed 42',
  '--runs': 'give a positive integer such as --runs 5',
  '--jobs': 'give a positive integer such as --jobs 2 (1 runs everything in one thread)',
  '--shard': 'give i/n, e.g. --shard 1/4, and merge the n reports with `aecheck merge-reports`',
  '--margin-tolerance': 'give the allowed rise of error/allowed, e.g. --margin-tolerance 0.1',
  '--params': 'quote the JSON object in single quotes',
};

/** Validates raw options with a schema; the first problem becomes a ValidationError (all of them are listed). */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown, prefix = flagName): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    const field = issue.code === 'unrecognized_keys' ? prefix(issue.keys.join(', ')) : prefix(key);
    // The value at the issue's path; a string flag is not indexed into (--sizes 64,0 received "64,0", not "4").
    const received = issue.path.reduce<unknown>(
      (v, k) => (typeof v === 'string' ? v : (v as Record<PropertyKey, unknown> | undefined)?.[k as string]),
      raw,
    );
    return {
      field,
      received: issue.code === 'unrecognized_keys' ? issue.keys : received,
      expected: issue.code === 'unrecognized_keys' ? 'no such option' : expectedOf(issue),
      hint: HINTS[field],
    };
  });
  throw new ValidationError(issues);
}

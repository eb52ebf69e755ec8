/**
 * `aecheck.config.ts` (or .mjs, .js, .json): a project's own claims and verify defaults. Found in the current
 * directory, or given with `--config FILE`. Claim paths are relative to the config file.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { cleanZodMessage } from '../core/zodMessage.ts';
import { didYouMean } from '../core/didYouMean.ts';
import { ValidationError, type ValidationIssue } from '../core/errors.ts';
import { readJsonFile } from '../core/readJsonFile.ts';

/** The config's schema (strict: an unknown key is named, with the closest known one). */
export const configSchema = z.strictObject({
  /** Modules of claims to load (paths relative to the config file). */
  claims: z.array(z.string().min(1)).default([]),
  /** A title per user paper id, shown by `list`. */
  papers: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.strictObject({ title: z.string() })).default({}),
  /** Defaults of `verify`'s flags (a flag given on the command line wins). */
  verify: z
    .strictObject({
      seed: z.number().int().min(0).max(0xffffffff).optional(),
      scale: z.enum(['quick', 'paper']).optional(),
      backend: z.string().optional(),
      runs: z.number().int().min(1).optional(),
      jobs: z.number().int().min(1).optional(),
    })
    .default({}),
});

/** A parsed config. */
export type AecheckConfig = z.infer<typeof configSchema> & { path?: string };

/** Identity with types, for `aecheck.config.ts`: `export default defineConfig({ claims: ['./claims.ts'] })`. */
export function defineConfig(config: z.input<typeof configSchema>): z.input<typeof configSchema> {
  return config;
}

const NAMES = ['aecheck.config.ts', 'aecheck.config.mjs', 'aecheck.config.js', 'aecheck.config.json'];

const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['claims', 'papers', 'verify'],
  verify: ['seed', 'scale', 'backend', 'runs', 'jobs'],
};

/** Loads the config at `path`, or the first aecheck.config.* in `cwd`; none found gives the empty config. */
export async function loadConfig(path?: string, cwd = process.cwd()): Promise<AecheckConfig> {
  const file = path ? resolve(cwd, path) : NAMES.map((n) => resolve(cwd, n)).find((f) => existsSync(f));
  if (!file) return configSchema.parse({});
  if (!existsSync(file)) {
    throw new ValidationError({ field: '--config', received: path, expected: 'an existing config file' });
  }
  if (!statSync(file).isFile()) {
    // A directory or a device (importing /dev/zero would read forever).
    throw new ValidationError({
      field: '--config',
      received: path,
      expected: 'a config file (aecheck.config.ts, .mjs, .js or .json)',
      hint: `${file} is not a regular file`,
    });
  }
  let raw: unknown;
  if (file.endsWith('.json')) raw = readJsonFile('--config', file);
  else {
    try {
      const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
      raw = mod.default;
    } catch (e) {
      throw new ValidationError({
        field: '--config',
        received: file,
        expected: 'a module that imports without error and has a default export',
        hint: e instanceof Error ? e.message.split('\n')[0] : String(e),
      });
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issues: ValidationIssue[] = parsed.error.issues.flatMap((issue): ValidationIssue[] => {
      const at = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const known = KNOWN_KEYS[at] ?? [];
        return issue.keys.map((k) => ({
          field: `config.${at ? `${at}.` : ''}${k}`,
          received: k,
          expected: `no such key (known: ${known.join(', ')})`,
          hint: didYouMean(k, known, `see docs/claims.md for the config's keys`),
        }));
      }
      // A config that is not an object at all (a JSON array, a module without a default export) is named by its flag.
      if (!at) {
        return [
          {
            field: '--config',
            received: file,
            expected: `a config object with claims, papers or verify, not ${Array.isArray(raw) ? 'an array' : typeof raw}`,
            hint: 'see docs/claims.md; a module needs `export default defineConfig({ … })`',
          },
        ];
      }
      const received = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], raw);
      return [{ field: `config.${at}`, received, expected: cleanZodMessage(issue.message) }];
    });
    throw new ValidationError(issues);
  }
  const config: AecheckConfig = { ...parsed.data, path: file };
  config.claims = config.claims.map((c) => resolve(dirname(file), c));
  return config;
}

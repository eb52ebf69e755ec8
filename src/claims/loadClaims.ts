import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ValidationError } from '../core/errors.ts';
import { registerClaims } from './catalog.ts';
import type { AnyClaim } from './claim.ts';

/** Whether a value looks like a claim (what `defineClaim` returns). */
export function isClaim(value: unknown): value is AnyClaim {
  const v = value as Partial<AnyClaim> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.measure === 'function' &&
    typeof v.domain === 'object' &&
    typeof v.budget === 'object'
  );
}

/** Modules already loaded in this process (absolute path → their claims). */
const loaded = new Map<string, AnyClaim[]>();

/**
 * Imports a module of user claims and registers every claim it exports (a claim, or an array of claims such as
 * `export const claims = [...]`). TypeScript modules load through the tsx loader the CLI registers. A missing file, a
 * module that fails to import, or one that exports no claim is a ValidationError naming `field` and the path.
 */
export async function loadClaimModule(path: string, field = '--claims', base = process.cwd()): Promise<AnyClaim[]> {
  const abs = isAbsolute(path) ? path : resolve(base, path);
  const cached = loaded.get(abs);
  if (cached) return cached;
  if (!existsSync(abs)) {
    throw new ValidationError({
      field,
      received: path,
      expected: 'an existing .ts or .js module that exports claims',
      hint: `no file at ${abs}`,
    });
  }
  if (!statSync(abs).isFile()) {
    // A directory or a device (importing /dev/zero would read forever).
    throw new ValidationError({
      field,
      received: path,
      expected: 'a .ts or .js module that exports claims',
      hint: `${abs} is not a regular file`,
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ValidationError({
      field,
      received: path,
      expected: 'a module that imports without error',
      hint: e instanceof Error ? e.message.split('\n')[0] : String(e),
    });
  }
  const found: AnyClaim[] = [];
  for (const value of Object.values(mod)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) if (isClaim(item) && !found.includes(item)) found.push(item);
  }
  if (found.length === 0) {
    throw new ValidationError({
      field,
      received: path,
      expected: 'a module that exports at least one claim',
      hint: 'export the result of defineClaim({...}), or an array `export const claims = [...]`',
    });
  }
  registerClaims(found, path);
  loaded.set(abs, found);
  return found;
}

/** Loads several claim modules in order; returns their absolute paths (what worker threads load again). */
export async function loadClaimModules(
  paths: readonly string[],
  field = '--claims',
  base = process.cwd(),
): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    await loadClaimModule(p, field, base);
    out.push(isAbsolute(p) ? p : resolve(base, p));
  }
  return out;
}

/**
 * Output paths of the CLI (`--report DIR`, `--junit FILE`, `--summary FILE`): checked before any claim runs, so a
 * mistyped or unwritable path is a usage error (exit 2) naming the flag, not a crash after minutes of work; and a write
 * that still fails (a full disk, /dev/full) is reported the same way.
 */
import { constants } from 'node:fs';
import { access, mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ValidationError } from '../core/errors.ts';

/** The first line of an error's message. */
function firstLine(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/**
 * Makes sure `dir` can hold a report before any work starts: creates it, and writes and removes a probe file. A path
 * that is a file or a device, or that cannot be created or written, is a ValidationError naming `field`.
 */
export async function checkReportDir(field: string, dir: string): Promise<void> {
  try {
    // Create the missing components one by one: Node's recursive mkdir loops forever on some paths (/proc/x).
    const missing: string[] = [];
    let at = resolve(dir);
    for (;;) {
      const st = await stat(at).catch(() => undefined);
      if (st) {
        if (!st.isDirectory()) throw new Error(`${at} exists and is not a directory`);
        break;
      }
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
    for (const d of missing) await mkdir(d);
    const probe = join(dir, `.aecheck-write-probe-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe);
  } catch (e) {
    throw new ValidationError({
      field,
      received: dir,
      expected: `a directory aecheck can write (${firstLine(e)})`,
      hint: 'give a new or writable directory, e.g. --report reports/run1',
    });
  }
}

/**
 * Makes sure a file can be written before any work starts: its directory exists and the file opens for appending (an
 * existing file is left as it is; one created by the probe is removed). A directory, or a path that cannot be created,
 * is a ValidationError naming `field`.
 */
export async function checkWritableFile(field: string, path: string): Promise<void> {
  try {
    const st = await stat(path).catch(() => undefined);
    if (st?.isDirectory()) throw new Error('it is a directory');
    const dir = await stat(dirname(resolve(path))).catch(() => undefined);
    if (!dir?.isDirectory()) throw new Error(`the directory ${dirname(resolve(path))} does not exist`);
    await access(dirname(resolve(path)), constants.W_OK);
    const handle = await open(path, 'a');
    await handle.close();
    if (!st) await rm(path, { force: true });
  } catch (e) {
    throw new ValidationError({
      field,
      received: path,
      expected: `a file path aecheck can write (${firstLine(e)})`,
      hint: 'create the directory first, or give another path',
    });
  }
}

/** Runs a write to the output of `field`; a system error (ENOSPC, EACCES, …) becomes a ValidationError naming it. */
export async function writeOutput<T>(field: string, path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string')) throw e;
    throw new ValidationError({
      field,
      received: path,
      expected: `a path aecheck can write (${firstLine(e)})`,
      hint: 'give another path, or free space on the device',
    });
  }
}

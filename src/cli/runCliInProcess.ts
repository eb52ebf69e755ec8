import { buildProgram } from './main.ts';

/** What {@link runCliInProcess} captured. */
export interface CliRun {
  stdout: string;
  stderr: string;
  /** The exit code: process.exitCode after the command, or the code passed to process.exit. */
  code: number;
}

/**
 * Runs the aecheck CLI in this process (for tests and embedding): stdout and stderr are captured, and process.exit is
 * turned into a returned code instead of ending the process. The streams, process.exit and process.exitCode are
 * restored afterwards. Not restored: claims loaded with `--claims` or a config stay registered in the catalog for the
 * rest of the process (as modules stay imported), and `bench` sets AECHECK_THREADS.
 */
export async function runCliInProcess(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const exit = process.exit;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    throw new CliExit(code ?? 0);
  }) as typeof process.exit;
  process.exitCode = 0;
  let code = 0;
  try {
    const argv = ['node', 'aecheck', ...args];
    // The program's own exit handler (exit 2 on a usage error) is kept: replacing it made an unknown command or a
    // missing command exit 1 here and 2 in a real process. Its process.exit lands in the CliExit below.
    await (await buildProgram(argv)).parseAsync(argv);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code =
      e instanceof CliExit
        ? e.code
        : typeof (e as { exitCode?: unknown }).exitCode === 'number'
          ? (e as { exitCode: number }).exitCode
          : 1;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exit = exit;
    process.exitCode = 0;
  }
  return { stdout, stderr, code };
}

/** Thrown in place of process.exit while the CLI runs in-process. */
class CliExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

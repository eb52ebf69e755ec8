/**
 * Runs `node bin/aecheck.js ARGS` as a real process (for tests that must see what a user's shell sees: exit code,
 * stdout, stderr), with `NO_COLOR=1` and a time limit; a process still running at the limit is killed and reported
 * with code −1.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What the process printed and how it ended. */
export interface CliProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI of the checkout at `root` with `args`, killed after `limitMs`. */
export function runCliProcess(root: string, args: readonly string[], limitMs: number): Promise<CliProcessResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'aecheck.js'), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * The metadata a saved benchmark carries (see benchFile.ts): machine, operating system, Node, aecheck version and git
 * commit, thread counts, the backends as probed now, and OpenBLAS's configuration when it is loaded.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { openblasLibrary } from '../kernels/openblas/openblasLibrary.ts';
import { getKernelSet, probeBackends } from '../kernels/registry.ts';
import { VERSION } from '../version.ts';
import type { BenchMetadata } from './benchFile.ts';
import { allCores, backendThreads } from './runPythonBaseline.ts';

/** The package's root folder (its git checkout, when it is one). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `git rev-parse HEAD` of the package's checkout, or null (no git, not a checkout, or git failed). */
export function gitCommit(cwd: string = ROOT): string | null {
  const run = spawnSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', timeout: 5000 });
  const out = run.status === 0 ? run.stdout.trim() : '';
  return /^[0-9a-f]{40}$/.test(out) ? out : null;
}

/**
 * The CPUs this process may run on, as Linux lists them (`Cpus_allowed_list` of /proc/self/status, e.g. "0" under
 * `taskset -c 0`, "0-1" unpinned), or null elsewhere. Child processes (the Python baselines) inherit it, so a pinned
 * run measures both sides of a ratio on the same cores: on a shared VM, two vCPUs can differ in speed by a third.
 */
export function cpusAllowed(status: () => string = () => readFileSync('/proc/self/status', 'utf8')): string | null {
  try {
    const m = /^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(status());
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

/** The line a benchmark prints about the CPUs it was allowed (none where that is unknown). */
export function cpusAllowedLine(allowed: string | null | undefined, total: number = cpus().length): string | undefined {
  if (!allowed) return undefined;
  return `CPUs allowed: ${allowed} of ${total} (the Python baselines inherit it; pin with taskset -c 0 to measure both sides of a 1-thread ratio on one core)`;
}

/** Options of {@link collectBenchMetadata}. */
export interface BenchMetadataOptions {
  /** Which benchmark (`kernels`, `persianrug2024-train`, …). */
  benchmark: string;
  /** The run's options; `--compare` reuses them when they are not given again. */
  options: Record<string, unknown>;
  /** Thread counts the Python baselines ran on (empty when none ran). */
  baselineThreads?: readonly number[];
  /** The command line (default: this process's arguments after the Node binary). */
  command?: string;
}

/** Collects the metadata of a run made now, in this process. */
export async function collectBenchMetadata(options: BenchMetadataOptions): Promise<BenchMetadata> {
  const statuses = await probeBackends();
  const backends: BenchMetadata['backends'] = [];
  for (const s of statuses)
    backends.push(
      s.available
        ? { id: s.id, available: true, precision: (await getKernelSet(s.id)).precision }
        : { id: s.id, available: false, reason: s.reason },
    );
  const openblasAvailable = statuses.some((s) => s.id === 'openblas' && s.available);
  const library = openblasAvailable ? openblasLibrary() : undefined;
  const cpuList = cpus();
  return {
    createdAt: new Date().toISOString(),
    benchmark: options.benchmark,
    command: options.command ?? process.argv.slice(1).join(' '),
    aecheckVersion: VERSION,
    gitCommit: gitCommit(),
    node: process.version,
    os: { platform: platform(), release: release(), arch: arch() },
    cpu: { model: cpuList[0]?.model.trim() || 'unknown', cores: allCores(), allowed: cpusAllowed() },
    threads: { aecheck: backendThreads('openblas'), baselines: [...(options.baselineThreads ?? [])] },
    backends,
    openblas: library ? { config: library.config, core: library.coreName, threads: library.threads() } : null,
    options: options.options,
  };
}

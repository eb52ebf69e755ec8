/**
 * The `aecheck` command line. Each command lives in `commands/<name>.ts` and registers itself; add one line to
 * COMMANDS to add a command.
 */
import { Command } from 'commander';
import { VERSION } from './version.ts';

type Register = (program: Command) => void;

/**
 * Every command, loaded on demand: a command's module (and what it imports: claims, kernels, vega) is imported only
 * when that command runs or the help lists every command, so `aecheck theory …` does not load the simulators.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  list: async () => (await import('./commands/list.ts')).registerList,
  verify: async () => (await import('./commands/verify.ts')).registerVerify,
  theory: async () => (await import('./commands/theory.ts')).registerTheory,
  schema: async () => (await import('./commands/schema.ts')).registerSchema,
  bench: async () => (await import('./commands/bench.ts')).registerBench,
  ode: async () => (await import('./commands/ode.ts')).registerOde,
  simulate: async () => (await import('./commands/simulate.ts')).registerSimulate,
  explore: async () => (await import('./commands/explore.ts')).registerExplore,
  'merge-reports': async () => (await import('./commands/mergeReports.ts')).registerMergeReports,
};

/** Builds the program (exported so tests can drive it). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('aecheck')
    .description('Executable, automatically verified claims from the theory of shallow autoencoders')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Commander exits 1 on a usage error (unknown flag, missing argument), the code of a failed claim; aecheck's
    // codes are distinct: 0 pass, 1 a claim failed, 2 usage or validation, 3 internal error. Set before the commands
    // are registered so each subcommand inherits it.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  // The command named on the line alone, or every command (for the help and for a mistyped command's suggestion).
  const name = argv.slice(2).find((a) => !a.startsWith('-'));
  const names = name && name in COMMANDS ? [name] : Object.keys(COMMANDS);
  for (const n of names) (await COMMANDS[n]())(program);
  return program;
}

/** Runs the CLI on process.argv. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await (await buildProgram(argv)).parseAsync([...argv]);
}

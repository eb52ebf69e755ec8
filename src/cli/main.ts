/**
 * The `aecheck` command line. Each command lives in `commands/<name>.ts` and registers itself; add one line to
 * COMMANDS to add a command.
 */
import { Command } from 'commander';
import { registerBench } from './commands/bench.ts';
import { registerList } from './commands/list.ts';
import { registerMergeReports } from './commands/mergeReports.ts';
import { registerOde } from './commands/ode.ts';
import { registerSchema } from './commands/schema.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerTheory } from './commands/theory.ts';
import { registerVerify } from './commands/verify.ts';
import { VERSION } from './version.ts';

/** Every command's registration function. */
const COMMANDS: readonly ((program: Command) => void)[] = [
  registerList,
  registerVerify,
  registerTheory,
  registerSchema,
  registerBench,
  registerOde,
  registerSimulate,
  registerMergeReports,
];

/** Builds the program (exported so tests can drive it). */
export function buildProgram(): Command {
  const program = new Command('aecheck')
    .description('Executable, automatically verified claims from the theory of shallow autoencoders')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Commander exits 1 on a usage error (unknown flag, missing argument), the code of a failed claim; aecheck's
    // codes are distinct: 0 pass, 1 a claim failed, 2 usage or validation, 3 internal error. Set before the commands
    // are registered so each subcommand inherits it.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI on process.argv. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}

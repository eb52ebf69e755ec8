import type { Command } from 'commander';
import { reportJsonSchema } from '../../report/writeReport.ts';

/** `aecheck schema`: prints the JSON Schema of report.json (the published copy is docs/report.schema.json). */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the report written by `verify --json` / `--report`')
    .action(() => {
      process.stdout.write(`${JSON.stringify(reportJsonSchema(), null, 2)}\n`);
    });
}

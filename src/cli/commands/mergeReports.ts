import type { Command } from 'commander';
import { mergeReports } from '../../report/mergeReports.ts';
import { writeReport } from '../../report/writeReport.ts';
import { handleError } from '../handleError.ts';
import { checkReportDir, writeOutput } from '../outputPaths.ts';
import { readReportFile } from './verify.ts';

/** `aecheck merge-reports`: combines the report.json files of `verify --shard i/n` into one report. */
export function registerMergeReports(program: Command): void {
  program
    .command('merge-reports')
    .description('merge the report.json files of `verify --shard 1/n … n/n` into the report of the unsharded run')
    .argument('<files...>', "the shards' report.json files")
    .option('--report <dir>', 'write the merged report.json, report.md, index.html and plots to DIR')
    .option('--json', 'print the merged report on stdout')
    .action(async (files: string[], raw: { report?: string; json?: boolean }) => {
      try {
        const merged = mergeReports(files.map((f, i) => readReportFile(`FILES[${i}]`, f)));
        const dir = raw.report;
        if (dir) {
          await checkReportDir('--report', dir);
          await writeOutput('--report', dir, () => writeReport(merged, dir));
        }
        if (raw.json || !raw.report) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
        const s = merged.summary;
        process.stderr.write(
          `merged ${files.length} shards: ${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skipped} skipped\n`,
        );
        process.exitCode = s.fail + s.error > 0 ? 1 : 0;
      } catch (e) {
        handleError(e);
      }
    });
}

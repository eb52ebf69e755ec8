import type { Command } from 'commander';
import { readJsonFile } from '../../core/readJsonFile.ts';
import { type ExploreMapJson, mapFromJson } from '../../explore/mapToJson.ts';
import { mergeMaps } from '../../explore/mergeMaps.ts';
import { renderAsciiMap } from '../../explore/renderAsciiMap.ts';
import { mergeReports } from '../../report/mergeReports.ts';
import { writeReport } from '../../report/writeReport.ts';
import { handleError } from '../handleError.ts';
import { checkReportDir, writeOutput } from '../outputPaths.ts';
import { writeMapReport } from './explore.ts';
import { readReportFile } from './verify.ts';

/** True for the map.json of `aecheck explore` (rather than a report.json of `verify`). */
function isMap(value: unknown): value is ExploreMapJson {
  return typeof value === 'object' && value !== null && 'lattice' in value && 'leaves' in value && 'claimId' in value;
}

/**
 * `aecheck merge-reports`: combines the report.json files of `verify --shard i/n` into one report, or the map.json
 * files of `explore --shard i/n` into the map of the unsharded run.
 */
export function registerMergeReports(program: Command): void {
  program
    .command('merge-reports')
    .description(
      'merge the report.json files of `verify --shard 1/n … n/n` (or the map.json files of `explore --shard`) into the unsharded result',
    )
    .argument('<files...>', "the shards' report.json (or map.json) files")
    .option('--report <dir>', 'write the merged report.json, report.md, index.html and plots (or map.*) to DIR')
    .option('--json', 'print the merged report (or map) on stdout')
    .action(async (files: string[], raw: { report?: string; json?: boolean }) => {
      try {
        const first = readJsonFile('FILES[0]', files[0]);
        if (isMap(first)) {
          const merged = mergeMaps(
            files.map((f, i) => (i === 0 ? first : readJsonFile(`FILES[${i}]`, f)) as ExploreMapJson),
          );
          const map = mapFromJson(merged);
          const mapDir = raw.report;
          if (mapDir) await writeOutput('--report', mapDir, () => writeMapReport(mapDir, map, merged));
          process.stdout.write(raw.json ? `${JSON.stringify(merged, null, 2)}\n` : `${renderAsciiMap(map)}\n`);
          process.stderr.write(
            `merged ${files.length} map shards: ${merged.evaluations} evaluations, ${merged.boundaryCells.length} boundary cells\n`,
          );
          process.exitCode = 0;
          return;
        }
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

import type { Command } from 'commander';
import { z } from 'zod';
import { PAPER_IDS, type PaperId } from '../../claims/claim.ts';
import { allClaims, claimsOfPaper, selectablePapers } from '../../claims/catalog.ts';
import { loadClaimModules } from '../../claims/loadClaims.ts';
import { didYouMean } from '../../core/didYouMean.ts';
import { loadConfig } from '../config.ts';
import { ValidationError } from '../../core/errors.ts';
import { parseOptions } from '../options.ts';
import { handleError } from '../handleError.ts';
import { tableHead, tableStyle } from '../colour.ts';
import Table from 'cli-table3';

const listOptionsSchema = z.strictObject({
  paper: z.string().min(1).optional(),
  claims: z.array(z.string().min(1)).optional(),
  config: z.string().min(1).optional(),
  claim: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

/** `aecheck list`: the claims with their source, kind and tolerance. */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('list the claims with their source, kind and tolerance')
    .option(
      '--paper <id>',
      `only this paper (${PAPER_IDS.filter((p) => p !== 'foundation').join(', ')}, or your own), or foundation: the shared Gaussian-integral and Sheppard checks`,
    )
    .option('--claims <file...>', 'also list the claims these modules export')
    .option('--config <file>', 'an aecheck.config.ts (default: ./aecheck.config.* when present)')
    .option('--claim <id>', 'show one claim in full, with its parameter domain')
    .option('--json', 'print JSON')
    .action(async (raw) => {
      try {
        const opts = parseOptions(listOptionsSchema, raw);
        const config = await loadConfig(opts.config);
        await loadClaimModules([...config.claims, ...(opts.claims ?? [])]);
        const catalog = allClaims();
        const papers = selectablePapers();
        if (opts.paper && !papers.includes(opts.paper)) {
          throw new ValidationError({
            field: '--paper',
            received: opts.paper,
            expected: `a paper with claims: ${papers.join(', ')}`,
            hint: didYouMean(opts.paper, papers, `use one of ${papers.join(', ')}`),
          });
        }
        const claims = (opts.paper ? claimsOfPaper(opts.paper as PaperId) : catalog).filter(
          (c) => opts.claim === undefined || c.id === opts.claim,
        );
        if (opts.claim && claims.length === 0) {
          throw new ValidationError({
            field: '--claim',
            received: opts.claim,
            expected: 'a claim id listed by `aecheck list`',
            hint: didYouMean(
              opts.claim,
              catalog.map((c) => c.id),
              'run `npx aecheck list`',
            ),
          });
        }
        const rows = claims.map((c) => ({
          id: c.id,
          paper: c.paper,
          kind: c.kind,
          title: c.title,
          source: `${c.source.where} [${c.source.confidence}]`,
          tolerance: c.tolerance.description,
          ...(opts.claim
            ? {
                statement: c.statement,
                reason: c.tolerance.reason,
                domain: c.domain,
                ...(c.regime ? { regime: c.regime.description } : {}),
                defaults: c.defaults,
                budget: c.budget,
              }
            : {}),
        }));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (opts.claim) {
          process.stdout.write(`${JSON.stringify(rows[0], null, 2)}\n`);
          return;
        }
        const table = new Table({
          head: tableHead(['claim', 'kind', 'source', 'title']),
          wordWrap: true,
          colWidths: [44, 13, 30, 50],
          style: tableStyle(),
        });
        for (const r of rows) table.push([r.id, r.kind, r.source, r.title]);
        process.stdout.write(
          `${table.toString()}\n${rows.length} claims. Run one with: npx aecheck verify --claim <id>\n`,
        );
      } catch (e) {
        handleError(e);
      }
    });
}

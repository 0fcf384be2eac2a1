/** `patternbench summary <db>`: the summary `run` prints, for any results file (merged or imported too). */
import { Option, type Command } from 'commander';
import type { CliIo } from './progress.ts';
import { openResultsDeferred, readBesidePageCheck, type ResultsReader } from '../../reports/store/open-results.ts';
import { formatResults, recordedThresholds, summariseResults, SUMMARY_RELATIONS } from '../../reports/summary/blocks.ts';
import { SUMMARY_FORMATS, type SummaryFormat } from '../../reports/summary/format.ts';

/** What `summary` reads of a results file. */
export const SUMMARY_READER: ResultsReader = { name: 'summary', relations: SUMMARY_RELATIONS };

/**
 * Adds `summary` to `program`: the summary table, every block and the thresholds recorded in the
 * file, in `--format` (default `table`). Exits 0; a missing, damaged or foreign file is bad input
 * (exit 2, through `main`). The open gate's page check runs in a worker thread while the summary is
 * read (the shipped suite's 145 MB file: 0.4 s of a 1.9 s command), and its verdict is awaited
 * before anything is printed or an error of the reading reported, as `report` does.
 */
export function registerSummaryCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('summary')
    .description('print the summary table, its blocks and the recorded thresholds of a results database')
    .argument('<db>', 'results database (written by run, merge or import)')
    .addOption(new Option('--format <format>', 'output format (json: one object holding every block)').choices(SUMMARY_FORMATS).default('table'))
    .action(async (path: string, flags: { format: SummaryFormat }) => {
      const { db, pages } = openResultsDeferred(path, SUMMARY_READER);
      try {
        const texts = await readBesidePageCheck(path, pages, () => {
          const recorded = recordedThresholds(db);
          return formatResults(summariseResults(db, recorded.length === 0 ? null : recorded), flags.format);
        });
        for (const text of texts) io.out(text);
      } finally {
        db.close();
      }
      result.code = 0;
    });
}

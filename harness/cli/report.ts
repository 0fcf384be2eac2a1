/** `patternbench report <db> [--out file.html]`: writes the HTML report of a results file. */
import type { Command } from 'commander';
import { writeHtmlReport } from '../../reports/html/report.ts';
import { describeUnfinishedRun } from '../../reports/summary/unfinished-runs.ts';
import type { CliIo } from './progress.ts';

/** The default report path: the database path with `.db` replaced by `.html` (or `.html` appended). */
export function defaultReportPath(dbPath: string): string {
  return /\.db$/i.test(dbPath) ? dbPath.replace(/\.db$/i, '.html') : `${dbPath}.html`;
}

/**
 * Adds `report` to `program`. It opens the database read-only (a missing, damaged or foreign file,
 * or another schema, is bad input: exit 2, nothing written), writes the report and prints the path
 * written, with a warning on stderr for each run that has not finished (its figures are partial).
 */
export function registerReportCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('report')
    .description('write the self-contained HTML report (charts, decision matrix) of a results database')
    .argument('<db>', 'results database written by run')
    .option('--out <file>', 'HTML file to write (default: the database path with .html)')
    .action(async (db: string, flags: { out?: string }) => {
      const out = flags.out ?? defaultReportPath(db);
      const unfinished = await writeHtmlReport(db, out);
      for (const run of unfinished) io.err(`warning: ${db}: ${describeUnfinishedRun(run)}`);
      io.out(out);
      result.code = 0;
    });
}

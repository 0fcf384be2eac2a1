/** `patternbench dlq list|replay <db>`: the dead-letter queue of a results file. */
import { Option, type Command } from 'commander';
import { replayDeadLetters, type ReplayedRun } from '../run/recovery/dlq-replay.ts';
import type { CliIo } from './progress.ts';
import { DEAD_LETTER_KINDS, formatDeadLetters, listDeadLetters, type DeadLetterKind } from '../../reports/summary/dlq-list.ts';
import { openResultsReadonly, type ResultsReader } from '../../reports/store/open-results.ts';
import { SUMMARY_FORMATS, type SummaryFormat } from '../../reports/summary/format.ts';

/** What `dlq list` reads of a results file. */
export const DLQ_LIST_READER: ResultsReader = { name: 'dlq list', relations: ['dead_letters'] };

/**
 * Adds `dlq list` and `dlq replay` to `program`; actions record their exit code in `result`.
 * `list` exits 0. `replay` exits 0 when every replayed workflow completed (or nothing waited),
 * 1 when some still fail; a missing, damaged or foreign file, or a missing run or scenario file, is bad
 * input (exit 2, through `main`).
 */
export function registerDlqCommand(program: Command, io: CliIo, result: { code: number }): void {
  const dlq = program.command('dlq').description('the dead-letter queue: workflows and compensations that failed for good');

  dlq
    .command('list')
    .description('print the dead letters of a results database, with their error and trace id')
    .argument('<db>', 'results database written by run')
    .addOption(new Option('--format <format>', 'output format').choices(SUMMARY_FORMATS).default('table'))
    .addOption(new Option('--kind <kind>', 'only this kind of dead letter').choices(DEAD_LETTER_KINDS))
    .option('--run <run_id>', 'only this run')
    .action((path: string, flags: { format: SummaryFormat; kind?: DeadLetterKind; run?: string }) => {
      const db = openResultsReadonly(path, DLQ_LIST_READER);
      try {
        io.out(formatDeadLetters(listDeadLetters(db, { kind: flags.kind ?? null, runId: flags.run ?? null }), flags.format));
      } finally {
        db.close();
      }
      result.code = 0;
    });

  dlq
    .command('replay')
    .description('re-run the dead-lettered workflows as new runs <run_id>/replay-<n> in the same database, linked to their originals')
    .argument('<db>', 'results database written by run (appended to)')
    .option('--run <run_id>', 'only the dead letters of this run (and of its replays)')
    .action(async (path: string, flags: { run?: string }) => {
      const replay = await replayDeadLetters(path, flags.run ?? null);
      for (const warning of replay.warnings) io.err(`warning: ${warning}`);
      for (const run of replay.runs) io.out(replayLine(run.runId, run));
      const total = replay.runs.reduce(
        (sum, run) => ({ replayed: sum.replayed + run.replayed, completed: sum.completed + run.completed, failed: sum.failed + run.failed }),
        { replayed: 0, completed: 0, failed: 0 },
      );
      io.out(total.replayed === 0 ? 'nothing to replay: no workflow dead letter is waiting' : replayLine('total', total));
      result.code = total.failed === 0 ? 0 : 1;
    });
}

function replayLine(label: string, run: Pick<ReplayedRun, 'replayed' | 'completed' | 'failed'>): string {
  return `${label}: replayed ${run.replayed}, now completed ${run.completed}, still failing ${run.failed}`;
}

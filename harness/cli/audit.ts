/** `patternbench audit verify <db>`: checks the hash chains of a results file's audit trail. */
import type { Command } from 'commander';
import type { CliIo } from './progress.ts';
import { verifyAudit } from '../../reports/store/audit-verify.ts';
import { openResultsReadonly, type ResultsReader } from '../../reports/store/open-results.ts';

/** What `audit verify` reads of a results file. */
export const AUDIT_READER: ResultsReader = { name: 'audit verify', relations: ['runs', 'audit'] };

/**
 * Adds `audit verify` to `program`. Exit 0 and `ok` when every run's chain holds; 1 naming the
 * first bad row (run, seq) otherwise; a missing, damaged or foreign file is bad input (exit 2, through `main`).
 */
export function registerAuditCommand(program: Command, io: CliIo, result: { code: number }): void {
  const audit = program.command('audit').description('the hash-chained audit trail of agent calls, messages, tool calls and masking');
  audit
    .command('verify')
    .description('recompute every run\'s audit hash chain; exit 1 naming the first edited, inserted or deleted row')
    .argument('<db>', 'results database written by run')
    .action((path: string) => {
      const db = openResultsReadonly(path, AUDIT_READER);
      try {
        const verification = verifyAudit(db);
        const problem = verification.problem;
        if (problem === null) {
          io.out(`ok: ${verification.rows} audit rows in ${verification.runs} runs, every chain intact`);
          result.code = 0;
        } else {
          io.out(`audit verify failed: run ${problem.runId}, seq ${problem.seq}: ${problem.message}`);
          result.code = 1;
        }
      } finally {
        db.close();
      }
    });
}

/** `patternbench audit verify <db>`: checks the hash chains of a results file's audit trail. */
import type { Command } from 'commander';
import type { CliIo } from './progress.ts';
import { verifyAudit } from '../../reports/store/audit-verify.ts';
import { openResultsReadonly, type ResultsReader } from '../../reports/store/open-results.ts';

/** What `audit verify` reads of a results file. */
export const AUDIT_READER: ResultsReader = { name: 'audit verify', relations: ['runs', 'audit'] };

/**
 * Adds `audit verify` to `program`. Exit 0 and `ok` when every audited run's chain holds; 1 naming
 * the first bad row (run, seq) otherwise. A file with no audit trail at all says so and exits 0, or
 * 1 with `--require` (a CI gate must not pass on nothing). A missing, damaged or foreign file is bad
 * input (exit 2, through `main`).
 */
export function registerAuditCommand(program: Command, io: CliIo, result: { code: number }): void {
  const audit = program.command('audit').description('the hash-chained audit trail of agent calls, messages, tool calls and masking');
  audit
    .command('verify')
    .description('recompute every run\'s audit hash chain; exit 1 naming the first edited, inserted or deleted row')
    .argument('<db>', 'results database written by run')
    .option('--require', 'exit 1 when the file has no audit trail (no run audited)', false)
    .action((path: string, flags: { require: boolean }) => {
      const db = openResultsReadonly(path, AUDIT_READER);
      try {
        const verification = verifyAudit(db);
        const problem = verification.problem;
        if (problem === null && verification.runs === 0) {
          io.out(`no audit trail: none of the ${verification.unaudited} runs in ${path} was audited (a scenario turns it on with \`audit: on\`)`);
          result.code = flags.require ? 1 : 0;
        } else if (problem === null) {
          const without = verification.unaudited > 0 ? ` (${verification.unaudited} runs without an audit trail)` : '';
          io.out(`ok: ${verification.rows} audit rows in ${verification.runs} runs, every chain intact${without}`);
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

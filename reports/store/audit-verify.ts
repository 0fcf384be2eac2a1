/**
 * `audit verify`: recomputes every run's audit hash chain (reports/store/audit-rows.ts) from the stored
 * rows and checks it against the head anchored in `runs` (`audit_rows`, `audit_head`). An edited
 * row fails its hash; a deleted or inserted row breaks the `seq` sequence or the anchored count;
 * a deleted last row leaves fewer rows than the anchor says.
 */
import { AUDIT_GENESIS, auditHash, type AuditContent } from './audit-rows.ts';
import type { Db } from './schema.ts';

/** The first row found wrong, and how. */
export interface AuditProblem {
  readonly runId: string;
  /** The row's `seq` (for a missing row, the `seq` it should have had). */
  readonly seq: number;
  readonly message: string;
}

/** What `verifyAudit` checked. */
export interface AuditVerification {
  /** Runs with an audit trail (rows stored, or a count anchored in `runs`), checked up to the problem. */
  readonly runs: number;
  /** Runs with no audit trail at all (their scenario did not audit), checked up to the problem. */
  readonly unaudited: number;
  readonly rows: number;
  /** The first problem (runs in `run_id` order, rows in `seq` order); null when every chain holds. */
  readonly problem: AuditProblem | null;
}

type StoredRow = [string, number, number, number | null, string, string, string, string, string, string, string, string];

/** Verifies every run's chain in `db`, streaming its rows (memory stays flat). */
export function verifyAudit(db: Db): AuditVerification {
  const runs = db.prepare(
    `SELECT run_id, audit_rows, audit_head FROM runs
     UNION SELECT DISTINCT run_id, NULL, NULL FROM audit WHERE run_id NOT IN (SELECT run_id FROM runs) ORDER BY run_id`,
  ).raw().all() as [string, number | null, string | null][];
  const select = db.prepare(
    'SELECT run_id, seq, time_ms, workflow_id, request_id, trace_id, actor, action, target, decision, detail, hash FROM audit WHERE run_id = ? ORDER BY seq',
  ).raw();
  let total = 0;
  let audited = 0;
  let unaudited = 0;
  const fail = (problem: AuditProblem): AuditVerification => ({ runs: audited, unaudited, rows: total, problem });
  for (const [runId, anchoredRows, anchoredHash] of runs) {
    // A trail whose every row was deleted still counts, through the count its run anchored.
    if ((anchoredRows ?? 0) > 0) audited++;
    else if (select.get(runId) !== undefined) audited++;
    else {
      unaudited++;
      continue;
    }
    let expected = 0;
    let previous = AUDIT_GENESIS;
    for (const row of select.iterate(runId) as IterableIterator<StoredRow>) {
      const seq = row[1];
      if (seq !== expected) {
        const message = seq > expected ? `row ${expected} is missing (deleted): the chain jumps to ${seq}` : `row ${seq} is out of order`;
        return fail({ runId, seq: expected, message });
      }
      const hash = auditHash(previous, row.slice(0, 11) as unknown as AuditContent);
      if (hash !== row[11]) return fail({ runId, seq, message: 'hash mismatch: the row was edited (or one before it was replaced)' });
      previous = hash;
      expected++;
      total++;
    }
    if (anchoredRows === null) {
      if (expected > 0) return fail({ runId, seq: expected - 1, message: 'the chain has no anchored head in runs (the run never ended, or its row was altered)' });
      continue;
    }
    if (expected < anchoredRows) {
      return fail({ runId, seq: expected, message: `row ${expected} is missing (deleted): the run anchored ${anchoredRows} rows, ${expected} remain` });
    }
    if (expected > anchoredRows) {
      return fail({ runId, seq: anchoredRows, message: `rows from ${anchoredRows} on were added after the run anchored ${anchoredRows} rows` });
    }
    if (previous !== (anchoredHash ?? AUDIT_GENESIS)) {
      return fail({ runId, seq: expected - 1, message: 'the last row does not match the head anchored in runs' });
    }
  }
  return { runs: audited, unaudited, rows: total, problem: null };
}

/**
 * The `audit` table's columns and its hash chain: each row's `hash` is
 * sha256(previous row's hash ‖ canonical content of the row), chained per run in `seq` order from
 * an empty hash. The writer (harness/governance/audit.ts) and `audit verify` (reports/store/audit-verify.ts) compute
 * it from the same column values, so a stored row can be checked without knowing how it was made.
 */
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../../harness/kernel/records.ts';
import type { Db } from './schema.ts';

type SqlValue = string | number | null;

/** Columns of `audit`, in the order `auditValues` returns values. */
export const AUDIT_COLUMNS: readonly string[] = [
  'run_id', 'seq', 'time_ms', 'workflow_id', 'request_id', 'trace_id', 'actor', 'action', 'target', 'decision', 'detail', 'hash',
];

/** The hash a run's first row chains from. */
export const AUDIT_GENESIS = '';

/** The row of `record`, in `AUDIT_COLUMNS` order. */
export function auditValues(row: AuditRecord): SqlValue[] {
  return [row.runId, row.seq, row.timeMs, row.workflowId, row.requestId, row.traceId, row.actor, row.action, row.target, row.decision, row.detail, row.hash];
}

/** Every column but `hash`, as hashed: the values of `AUDIT_COLUMNS` without the last. */
export type AuditContent = readonly [string, number, number, number | null, string, string, string, string, string, string, string];

/** sha256(`previous` ‖ '\n' ‖ JSON of `content`), lowercase hex. */
export function auditHash(previous: string, content: AuditContent): string {
  return createHash('sha256').update(previous).update('\n').update(JSON.stringify(content)).digest('hex');
}

/** The last stored row of `runId`'s chain (rows, hash), where a resumed run continues it. */
export function storedAuditHead(db: Db, runId: string): { rows: number; hash: string } {
  const last = db.prepare('SELECT seq, hash FROM audit WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(runId) as { seq: number; hash: string } | undefined;
  return last === undefined ? { rows: 0, hash: AUDIT_GENESIS } : { rows: last.seq + 1, hash: last.hash };
}

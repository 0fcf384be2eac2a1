import type { AttributeValue, AuditRecord } from '../kernel/records.ts';
import { AUDIT_GENESIS, auditHash } from '../../reports/store/audit-rows.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/** What was done, by whom, to what, and what the pipeline decided: one `audit` row before it is numbered and chained. */
export interface AuditEntry extends Omit<AuditRecord, 'runId' | 'seq' | 'decision' | 'detail' | 'hash'> {
  readonly decision: AuditDecision;
  /** Anything else worth keeping (outcome, fields masked, region); stored as JSON. Default `{}`. Never case values. */
  readonly detail?: Readonly<Record<string, AttributeValue>>;
}

/** What the pipeline decided about an action. */
export type AuditDecision = 'allow' | 'deny' | 'mask';

/** Where a run's chain stands: rows so far and the last row's hash. Anchored in `runs` at the run's end. */
export interface AuditHead {
  readonly rows: number;
  readonly hash: string;
}

/**
 * The audit trail of one run: an append-only, hash-chained sequence of `audit` rows. Each row's
 * hash covers the previous row's hash and its own content (reports/store/audit-rows.ts), and the chain's
 * head (row count, last hash) is stored with the run's end, so `patternbench audit verify` detects
 * an edited, inserted or deleted row — the last one included. Disabled (`enabled = false`: the
 * scenario's `audit: off`), it writes nothing and its head stays empty.
 */
export class AuditTrail {
  #rows = 0;
  #hash = AUDIT_GENESIS;

  constructor(
    private readonly runId: string,
    private readonly sink: RecordSink,
    readonly enabled: boolean,
  ) {}

  /** Appends `entry` as the chain's next row. */
  append(entry: AuditEntry): void {
    if (!this.enabled) return;
    const seq = this.#rows++;
    const detail = entry.detail === undefined ? '{}' : JSON.stringify(entry.detail);
    const hash = auditHash(this.#hash, [
      this.runId, seq, entry.timeMs, entry.workflowId, entry.requestId, entry.traceId, entry.actor, entry.action, entry.target, entry.decision, detail,
    ]);
    this.#hash = hash;
    this.sink.writeAux({
      table: 'audit',
      row: {
        runId: this.runId,
        seq,
        timeMs: entry.timeMs,
        workflowId: entry.workflowId,
        requestId: entry.requestId,
        traceId: entry.traceId,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        decision: entry.decision,
        detail,
        hash,
      },
    });
  }

  /** The chain's head; null when auditing is off (nothing to anchor). */
  head(): AuditHead | null {
    return this.enabled ? { rows: this.#rows, hash: this.#hash } : null;
  }
}

/** Appends `entry` to the run's audit trail (a no-op for a run without one, or with auditing off). */
export function appendAudit(run: { readonly audit?: AuditTrail | undefined }, entry: AuditEntry): void {
  run.audit?.append(entry);
}

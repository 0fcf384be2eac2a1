import type { RunPrivacy } from './pii.ts';
import type { AuxRecord, WorkflowRecord } from '../kernel/records.ts';
import { ForwardingSink } from '../../reports/store/forwarding-sink.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

/**
 * A sink that masks case fields with a data class in what the harness itself records, before it
 * reaches the SQLite file or the OTLP collector: a workflow's `output` (an agent's answer may echo
 * fields it was allowed to read) and every JSON column of the other tables — a dead letter's case
 * input, a checkpoint's outcome, a recorded attempt's output. Span attributes and events hold no
 * case fields; the compiled scenario stored with a run is redacted by `scenarioToJson`.
 */
export class MaskingSink extends ForwardingSink {
  constructor(
    inner: RecordSink,
    private readonly privacy: RunPrivacy,
  ) {
    super(inner);
  }

  override writeWorkflow(workflow: WorkflowRecord): void {
    const output = workflow.output;
    this.inner.writeWorkflow(output === null ? workflow : { ...workflow, output: this.privacy.maskJson(output) });
  }

  override writeAux(record: AuxRecord): void {
    // Audit rows hold no case values, and rewriting one would break its hash chain.
    if (record.table === 'audit') return this.inner.writeAux(record);
    let row: Record<string, unknown> | null = null;
    for (const [column, value] of Object.entries(record.row)) {
      if (typeof value !== 'string' || !(value.startsWith('{') || value.startsWith('['))) continue;
      const masked = this.privacy.maskJson(value);
      if (masked !== value) (row ??= { ...record.row })[column] = masked;
    }
    this.inner.writeAux(row === null ? record : ({ table: record.table, row } as unknown as AuxRecord));
  }
}

/** `sink`, masking records when `privacy` masks; `sink` itself otherwise. */
export function maskingSink(sink: RecordSink, privacy: RunPrivacy | null): RecordSink {
  return privacy === null || !privacy.masking ? sink : new MaskingSink(sink, privacy);
}

import { HarnessError } from '../../harness/kernel/errors.ts';
import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import type { RecordSink, RunEnd } from './sink.ts';

/** A run's end as the `MemorySink` recorded it. */
export interface RecordedRunEnd extends RunEnd {
  readonly runId: string;
}

/**
 * `RecordSink` that keeps every record in arrays, in arrival order: a test double that ships in
 * the source, like OpenTelemetry's `InMemorySpanExporter`. Never backlogged. Behaves like
 * `SqliteSink` at its edges: `endRun` of a run never begun is a `USAGE` error, and after `close()`
 * every call but `close()` throws `SINK_CLOSED` (`flush` rejects with it). The arrays stay readable.
 */
export class MemorySink implements RecordSink {
  /** Runs begun, in order. */
  readonly runs: RunRecord[] = [];
  /** Spans written, in order. */
  readonly spans: SpanRecord[] = [];
  /** Workflows written, in order. */
  readonly workflows: WorkflowRecord[] = [];
  /** Auxiliary rows (histograms, time series, queue series, events), in order. */
  readonly aux: AuxRecord[] = [];
  /** `endRun` calls, in order. */
  readonly runEnds: RecordedRunEnd[] = [];
  /** Number of `flush()` calls (all of them no-ops). */
  flushes = 0;
  private closed = false;

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  beginRun(run: RunRecord): void {
    this.assertOpen();
    this.runs.push(run);
  }

  writeSpan(span: SpanRecord): void {
    this.assertOpen();
    this.spans.push(span);
  }

  writeWorkflow(workflow: WorkflowRecord): void {
    this.assertOpen();
    this.workflows.push(workflow);
  }

  writeAux(record: AuxRecord): void {
    this.assertOpen();
    this.aux.push(record);
  }

  endRun(runId: string, end: RunEnd): void {
    this.assertOpen();
    if (!this.runs.some((run) => run.runId === runId)) {
      throw new HarnessError('USAGE', `endRun: no run ${runId} was begun in this sink`);
    }
    this.runEnds.push({ runId, ...end });
  }

  /** Always false: records are kept as they arrive. */
  backlogged(): boolean {
    return false;
  }

  /** Always ready. */
  ready(): Promise<void> {
    return Promise.resolve();
  }

  async flush(): Promise<void> {
    this.assertOpen();
    this.flushes += 1;
  }

  /** Marks the sink closed; closing twice is a no-op. */
  async close(): Promise<void> {
    this.closed = true;
  }

  /** Spans of one workflow of one run, in arrival order. */
  spansOf(runId: string, workflowId: number): SpanRecord[] {
    return this.spans.filter((span) => span.runId === runId && span.workflowId === workflowId);
  }

  private assertOpen(): void {
    if (this.closed) throw new HarnessError('SINK_CLOSED', 'the memory sink is closed; it accepts no more records');
  }
}

/**
 * The sink stage of a run under `--traces tail`: it holds each workflow's spans (and its calls'
 * checkpoints) until the workflow's row comes, asks `TailRetention` whether the workflow keeps its
 * trace, and hands on its spans only if it does. A span that is not kept costs a push onto its
 * workflow's list: no row is built, no JSON written, nothing crosses to the writer thread or the
 * OTLP exporter. The run's metrics sit above this stage, so they fold every span.
 *
 * A kept workflow's spans are handed on together at its end, then its checkpoints, then its row;
 * so a committed checkpoint of a kept trace still has its spans committed (harness/run/recovery/
 * checkpoint.ts). Checkpoints are written whether the trace is kept or not (those of a dropped
 * trace name spans the file does not hold). At the end of the run the kept count per reason is written as
 * `histograms` rows `trace.kept`/<reason> of the kept workflows' latencies: merged shards add up.
 * Memory holds the spans of the workflows in flight only.
 */
import { DurationHistogram } from '../kernel/hdr.ts';
import type { AuxRecord, SpanRecord, WorkflowRecord } from '../kernel/records.ts';
import { ForwardingSink } from '../../reports/store/forwarding-sink.ts';
import type { RecordSink, RunEnd } from '../../reports/store/sink.ts';
import { histogramRecord } from './run-metrics.ts';
import { KEEP_REASONS, type KeepReason, type TailRetention } from './trace-retention.ts';

/** The `histograms.metric` of the kept-trace counts; the scope is the reason (`KEEP_REASONS`). */
export const TRACE_KEPT_METRIC = 'trace.kept';

export class TraceBuffer extends ForwardingSink {
  /** The spans of each workflow in flight (a list per workflow, no wrapper: ~5,000 are held at once under load). */
  readonly #pending = new Map<number, SpanRecord[]>();
  /** The checkpoints of each workflow in flight that saved any (`--checkpoints` or real agents only). */
  readonly #checkpoints = new Map<number, AuxRecord[]>();
  /** Latencies of the kept workflows, per reason. */
  readonly #kept = new Map<KeepReason, DurationHistogram>(KEEP_REASONS.map((reason) => [reason, DurationHistogram.create()]));
  #workflows = 0;

  constructor(
    inner: RecordSink,
    private readonly runId: string,
    private readonly retention: TailRetention,
  ) {
    super(inner);
  }

  /** Workflows decided so far. */
  get workflows(): number {
    return this.#workflows;
  }

  /** Traces kept so far, per reason. */
  keptByReason(): Record<KeepReason, number> {
    return Object.fromEntries(KEEP_REASONS.map((reason) => [reason, this.#kept.get(reason)?.count ?? 0])) as Record<KeepReason, number>;
  }

  override writeSpan(span: SpanRecord): void {
    const pending = this.#pending.get(span.workflowId);
    if (pending === undefined) this.#pending.set(span.workflowId, [span]);
    else pending.push(span);
  }

  override writeAux(record: AuxRecord): void {
    if (record.table !== 'checkpoints') return this.inner.writeAux(record);
    const id = record.row.workflowId;
    const pending = this.#checkpoints.get(id);
    if (pending === undefined) this.#checkpoints.set(id, [record]);
    else pending.push(record);
  }

  override writeWorkflow(workflow: WorkflowRecord): void {
    const reason = this.retention.reason(workflow);
    this.#workflows += 1;
    const id = workflow.workflowId;
    const spans = this.#pending.get(id);
    if (spans !== undefined) {
      this.#pending.delete(id);
      if (reason !== null) for (const span of spans) this.inner.writeSpan(span);
    }
    if (this.#checkpoints.size > 0) {
      const checkpoints = this.#checkpoints.get(id);
      if (checkpoints !== undefined) {
        this.#checkpoints.delete(id);
        for (const checkpoint of checkpoints) this.inner.writeAux(checkpoint);
      }
    }
    if (reason !== null) this.#kept.get(reason)?.record(workflow.latencyMs);
    this.inner.writeWorkflow(workflow);
  }

  /**
   * Hands on what is still held — spans that ended after their workflow's row, which no shipped
   * pattern makes (kept: nothing is lost) — then the kept counts, then ends the run.
   */
  override endRun(runId: string, end: RunEnd): void {
    // A workflow's spans, then its checkpoints (a call's spans end before its checkpoint is saved).
    for (const [id, spans] of this.#pending) {
      for (const span of spans) this.inner.writeSpan(span);
      for (const checkpoint of this.#checkpoints.get(id) ?? []) this.inner.writeAux(checkpoint);
      this.#checkpoints.delete(id);
    }
    for (const checkpoints of this.#checkpoints.values()) for (const checkpoint of checkpoints) this.inner.writeAux(checkpoint);
    this.#pending.clear();
    this.#checkpoints.clear();
    for (const [reason, histogram] of this.#kept) {
      if (histogram.count > 0) this.inner.writeAux({ table: 'histograms', row: histogramRecord(this.runId, TRACE_KEPT_METRIC, reason, histogram) });
    }
    this.inner.endRun(runId, end);
  }
}

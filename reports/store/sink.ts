import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';

/** How a run ended. */
export interface RunEnd {
  readonly status: 'completed' | 'interrupted' | 'failed';
  /** Wall-clock metadata (excluded from determinism checks). */
  readonly finishedAt: string;
  /** Virtual ms at which the run's last workflow ended. */
  readonly virtualEndMs: number;
  /** Head of the run's audit chain (rows, last hash), anchored in `runs`; null or absent = no audit trail. */
  readonly audit?: { readonly rows: number; readonly hash: string } | null;
}

/**
 * Where a run's records go: SQLite, an OTLP collector, memory (tests), or several at once.
 * Writes are synchronous appends to a buffer; `flush` makes them durable/exported. A sink never
 * drops a record: when its buffer is full it reports `backlogged()` and the runner awaits `ready()`.
 */
export interface RecordSink {
  beginRun(run: RunRecord): void;
  writeSpan(span: SpanRecord): void;
  writeWorkflow(workflow: WorkflowRecord): void;
  /** A row of a low-volume table (histograms, time series, queue series, events) of a begun run. */
  writeAux(record: AuxRecord): void;
  endRun(runId: string, end: RunEnd): void;
  /** True when the simulation should wait (`ready()`) before it produces more records. */
  backlogged(): boolean;
  /** Resolves once the sink can take more records (its backlog is below its high-water mark). */
  ready(): Promise<void>;
  /** Writes/exports everything buffered so far. */
  flush(): Promise<void>;
  /** Flushes and releases resources; the sink accepts nothing afterwards. */
  close(): Promise<void>;
}

import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import type { RecordSink, RunEnd } from './sink.ts';

/** Sends every record to several sinks (SQLite and an OTLP collector, say). */
export class TeeSink implements RecordSink {
  constructor(private readonly sinks: readonly RecordSink[]) {}

  beginRun(run: RunRecord): void {
    for (const sink of this.sinks) sink.beginRun(run);
  }

  writeSpan(span: SpanRecord): void {
    for (const sink of this.sinks) sink.writeSpan(span);
  }

  writeWorkflow(workflow: WorkflowRecord): void {
    for (const sink of this.sinks) sink.writeWorkflow(workflow);
  }

  writeAux(record: AuxRecord): void {
    for (const sink of this.sinks) sink.writeAux(record);
  }

  endRun(runId: string, end: RunEnd): void {
    for (const sink of this.sinks) sink.endRun(runId, end);
  }

  backlogged(): boolean {
    return this.sinks.some((sink) => sink.backlogged());
  }

  async ready(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.ready()));
  }

  async flush(): Promise<void> {
    await Promise.all(this.sinks.map((sink) => sink.flush()));
  }

  /** Closes every sink, even when one fails; the first failure is rethrown. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((sink) => sink.close()));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

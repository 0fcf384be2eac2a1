import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import type { RecordSink, RunEnd } from './sink.ts';

/** A sink that hands every call on to `inner`; subclasses override what they change or observe. */
export class ForwardingSink implements RecordSink {
  constructor(protected readonly inner: RecordSink) {}

  beginRun(run: RunRecord): void {
    this.inner.beginRun(run);
  }

  writeSpan(span: SpanRecord): void {
    this.inner.writeSpan(span);
  }

  writeWorkflow(workflow: WorkflowRecord): void {
    this.inner.writeWorkflow(workflow);
  }

  writeAux(record: AuxRecord): void {
    this.inner.writeAux(record);
  }

  endRun(runId: string, end: RunEnd): void {
    this.inner.endRun(runId, end);
  }

  backlogged(): boolean {
    return this.inner.backlogged();
  }

  ready(): Promise<void> {
    return this.inner.ready();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

import type { AuxRecord, RunRecord, SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import type { RecordSink, RunEnd } from './sink.ts';

/** A sink that keeps nothing: measures the simulation and tracing alone (benchmarks). */
export class NullSink implements RecordSink {
  beginRun(_run: RunRecord): void {}
  writeSpan(_span: SpanRecord): void {}
  writeWorkflow(_workflow: WorkflowRecord): void {}
  writeAux(_record: AuxRecord): void {}
  endRun(_runId: string, _end: RunEnd): void {}
  backlogged(): boolean {
    return false;
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

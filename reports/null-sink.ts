import type { RecordSink } from './sink.ts';

/** A sink that keeps nothing: measures the simulation and tracing alone (benchmarks). */
export class NullSink implements RecordSink {
  beginRun(): void {}
  writeSpan(): void {}
  writeWorkflow(): void {}
  writeAux(): void {}
  endRun(): void {}
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

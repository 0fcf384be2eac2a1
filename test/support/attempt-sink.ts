import { attemptsOfSpans, type ObservedAttempt } from '../../harness/ingest/calibrate-attempts.ts';
import type { SpanRecord } from '../../harness/kernel/records.ts';
import { NullSink } from '../../reports/store/null-sink.ts';

/** A sink that stores only the model attempts (`chat` spans) of a run, as `calibrate` reads them: large runs in little memory. */
export class AttemptSink extends NullSink {
  readonly attempts: ObservedAttempt[] = [];

  override writeSpan(span: SpanRecord): void {
    if (span.attributes['gen_ai.operation.name'] === 'chat') this.attempts.push(...attemptsOfSpans([span]));
  }
}

import { NumberedRows } from './numbered-rows.ts';
import type { AttributeValue } from '../kernel/records.ts';
import type { ActiveSpan } from '../kernel/tracer.ts';

/**
 * The events of a run (breaker transitions, budget alerts, compensations, …): each is a row of
 * `events`, numbered in the order it happened, and a span event on the span it concerns when given.
 */
export class RunEvents extends NumberedRows {
  /** Records `kind` about `subject` at `timeMs`; `span` (optional) also gets it as a span event. */
  emit(
    kind: string,
    subject: string,
    timeMs: number,
    detail: Readonly<Record<string, AttributeValue>> = {},
    span: ActiveSpan | null = null,
  ): void {
    this.sink.writeAux({
      table: 'events',
      row: {
        runId: this.runId,
        seq: this.nextSeq(),
        timeMs,
        workflowId: span?.workflowId ?? null,
        kind,
        subject,
        traceId: span?.traceId ?? null,
        detail: JSON.stringify(detail),
      },
    });
    span?.addEvent(kind, timeMs, { 'patternbench.subject': subject, ...detail });
  }
}

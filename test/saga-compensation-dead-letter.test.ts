import { describe, expect, it } from 'vitest';
import type { DeadLetterRecord, EventRecord } from '../harness/kernel/records.ts';
import { runOnce } from './support/run-scenario.ts';
import { sagaChain } from './support/saga-chain.ts';

// refund always fails (two attempts): undoing charge is dead-lettered; undoing reserve still runs.
const scenario = sagaChain({ ship: { error: 1, attempts: 1 }, refund: { error: 1, attempts: 2 } });

describe('saga compensation that fails', () => {
  it('goes to the dead-letter queue as kind compensation, and the other compensations still run', async () => {
    const { sink } = await runOnce(scenario);
    const letters = sink!.aux.filter((record) => record.table === 'dead_letters').map((record) => record.row as DeadLetterRecord);
    const events = sink!.aux.filter((record) => record.table === 'events').map((record) => record.row as EventRecord);
    expect(sink!.workflows).toHaveLength(6);
    expect(letters.map((letter) => letter.seq)).toEqual([...letters.keys()]);
    for (const workflow of sink!.workflows) {
      expect(JSON.parse(workflow.facts ?? '{}')).toEqual({
        'saga.side_effects': 2,
        'saga.compensated': 1,
        'saga.compensation_failures': 1,
        'saga.uncompensated': 0,
      });
      const spans = sink!.spans.filter((span) => span.traceId === workflow.traceId);
      const charge = spans.find((span) => span.name === 'invoke_agent charge');
      const undo = spans.filter((span) => span.name.startsWith('compensate ')).sort((a, b) => a.startMs - b.startMs);
      expect(undo.map((span) => [span.name, span.status])).toEqual([
        ['compensate charge', 'error'],
        ['compensate reserve', 'ok'],
      ]);
      expect(spans.filter((span) => span.name === 'invoke_agent refund')).toHaveLength(1);
      expect(spans.filter((span) => span.name.startsWith('chat ') && span.parentSpanId === undo[0]!.attributes['patternbench.compensation.span_id'])).toHaveLength(2);

      const mine = letters.filter((letter) => letter.traceId === workflow.traceId);
      // The compensation is dead-lettered when it fails, the workflow when it ends.
      expect(mine.map((letter) => [letter.kind, letter.step, letter.errorType])).toEqual([
        ['compensation', 'refund', 'error'],
        ['workflow', 'ship', 'error'],
      ]);
      const [compensation, failure] = mine as [DeadLetterRecord, DeadLetterRecord];
      // The workflow's letter carries the failing call's own error, not just its type.
      expect(failure.errorMessage).toMatch(/^step ship failed: \w+ answered 500$/);
      expect(JSON.parse(failure.input)).toMatchObject({ caseId: workflow.caseId, repeat: 0, case: { id: workflow.caseId } });
      expect(compensation).toMatchObject({ workflowId: workflow.workflowId, caseId: workflow.caseId, repeat: 0, replayedRunId: null });
      expect(compensation.timeMs).toBe(undo[0]!.endMs);
      expect(compensation.errorMessage).toMatch(/500/);
      const sideEffect = JSON.parse(compensation.input) as Record<string, unknown>;
      expect(sideEffect).toMatchObject({ agent: 'charge', compensator: 'refund', spanId: charge!.spanId });
      expect(sideEffect['output']).toMatchObject({ agent: 'charge' });

      const statuses = events
        .filter((event) => event.traceId === workflow.traceId)
        .map((event) => [event.subject, JSON.parse(event.detail)['patternbench.compensation.status']]);
      expect(statuses).toEqual([
        ['charge', 'failed'],
        ['reserve', 'ok'],
      ]);
    }
  });
});

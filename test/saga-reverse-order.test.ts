import { describe, expect, it } from 'vitest';
import type { EventRecord, SpanRecord } from '../harness/kernel/records.ts';
import { runOnce } from './support/run-scenario.ts';
import { sagaChain } from './support/saga-chain.ts';

/** The chain, its ship step failing every attempt (two) or never. */
const chain = (shipError: number) => sagaChain({ ship: { error: shipError, attempts: 2 } });

function spansOf(spans: readonly SpanRecord[], traceId: string): SpanRecord[] {
  return spans.filter((span) => span.traceId === traceId).sort((a, b) => a.startMs - b.startMs);
}

describe('saga compensation', () => {
  it('compensates charge then reserve, exactly once each, after ship fails for good', async () => {
    const { sink } = await runOnce(chain(1));
    const workflows = sink!.workflows;
    const events = sink!.aux.filter((record) => record.table === 'events').map((record) => record.row as EventRecord);
    expect(workflows).toHaveLength(6);
    for (const workflow of workflows) {
      expect(workflow.status).toBe('failed');
      expect(workflow.failedStep).toBe('ship');
      expect(JSON.parse(workflow.facts ?? '{}')).toEqual({
        'saga.side_effects': 2,
        'saga.compensated': 2,
        'saga.compensation_failures': 0,
        'saga.uncompensated': 0,
      });
      const spans = spansOf(sink!.spans, workflow.traceId);
      const agentSpan = (agent: string) => spans.filter((span) => span.name === `invoke_agent ${agent}`);
      const compensations = spans.filter((span) => span.name.startsWith('compensate '));
      expect(compensations.map((span) => span.name)).toEqual(['compensate charge', 'compensate reserve']);
      expect(agentSpan('refund')).toHaveLength(1);
      expect(agentSpan('release')).toHaveLength(1);
      const [refund, release, ship, charge, reserve] = ['refund', 'release', 'ship', 'charge', 'reserve'].map((name) => agentSpan(name)[0] as SpanRecord);
      // Reverse order: ship fails, then refund (undoing charge) ends before release (undoing reserve) starts.
      expect(refund!.startMs).toBeGreaterThanOrEqual(ship!.endMs);
      expect(release!.startMs).toBeGreaterThanOrEqual(refund!.endMs);
      const [undoCharge, undoReserve] = compensations as [SpanRecord, SpanRecord];
      expect(undoCharge.attributes).toMatchObject({
        'patternbench.compensation.of': 'charge',
        'patternbench.compensation.of_span_id': charge!.spanId,
        'patternbench.compensation.agent': 'refund',
        'patternbench.compensation.span_id': refund!.spanId,
        'patternbench.compensation.order': 1,
      });
      expect(undoReserve.attributes).toMatchObject({
        'patternbench.compensation.of_span_id': reserve!.spanId,
        'patternbench.compensation.span_id': release!.spanId,
        'patternbench.compensation.order': 2,
      });
      expect(compensations.every((span) => span.status === 'ok')).toBe(true);
      // The compensations belong to the workflow: it ends when the last one does, and counts their calls.
      expect(workflow.endMs).toBe(undoReserve.endMs);
      expect(workflow.agentCalls).toBe(5);
      const mine = events.filter((event) => event.traceId === workflow.traceId);
      expect(mine.map((event) => [event.kind, event.subject])).toEqual([
        ['compensation', 'charge'],
        ['compensation', 'reserve'],
      ]);
      expect(mine.map((event) => JSON.parse(event.detail)['patternbench.compensation.status'])).toEqual(['ok', 'ok']);
    }
    const letters = sink!.aux.filter((record) => record.table === 'dead_letters').map((record) => record.row);
    expect(letters.map((letter) => [letter.kind, letter.seq])).toEqual(workflows.map((_workflow, index) => ['workflow', index]));
  });

  it('compensates nothing when nothing fails', async () => {
    const { sink } = await runOnce(chain(0));
    expect(sink!.workflows.map((workflow) => workflow.status)).toEqual(Array(6).fill('completed'));
    for (const workflow of sink!.workflows) expect(JSON.parse(workflow.facts ?? '{}')).toEqual({ 'saga.side_effects': 2 });
    const names = new Set(sink!.spans.map((span) => span.name));
    expect([...names].filter((name) => /^compensate |refund|release/.test(name))).toEqual([]);
    expect(sink!.aux.filter((record) => record.table === 'events' || record.table === 'dead_letters')).toEqual([]);
  });
});

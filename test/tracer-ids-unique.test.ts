import { describe, expect, it } from 'vitest';
import { RunTracer, type SpanConsumer } from '../harness/kernel/tracer.ts';

const DISCARD: SpanConsumer = { writeSpan: () => {} };
const SCENARIOS = ['legal-review', 'support-routing', 'support-routing-peak'];
const PATTERNS = ['sequential', 'fanout', 'router', 'supervisor', 'single-agent'];
const VARIANTS = ['base', 'tiered'];
const SEEDS = [7, 8];
/** Children per workflow: with the root, five span ids per trace. */
const CHILDREN = 4;

/** A tracer as the runner builds one for a run of `scenario/pattern/variant/seed-N`. */
function tracerOf(scenario: string, pattern: string, variant: string, seed: number): RunTracer {
  const runId = `${scenario}/${pattern}/${variant}/seed-${seed}`;
  return new RunTracer(runId, seed, DISCARD);
}

describe('trace and span ids of many runs in one file', () => {
  it('never repeat over 400,020 traces and 2,000,100 span ids of 60 runs (scenarios × patterns × variants × seeds)', () => {
    // Under 32-bit per-workflow seeds, 400,020 workflows would share a seed ~C(400020, 2) / 2^32 ≈ 18.6
    // times, each pair with identical trace and span ids.
    const workflowsPerRun = 6_667;
    const traces = new Set<string>();
    const spans = new Set<string>();
    let runs = 0;
    for (const scenario of SCENARIOS) {
      for (const pattern of PATTERNS) {
        for (const variant of VARIANTS) {
          for (const seed of SEEDS) {
            const tracer = tracerOf(scenario, pattern, variant, seed);
            runs++;
            for (let workflowId = 0; workflowId < workflowsPerRun; workflowId++) {
              const root = tracer.startTrace('invoke_workflow', workflowId, 0, {});
              traces.add(root.traceId);
              spans.add(root.spanId);
              for (let child = 0; child < CHILDREN; child++) spans.add(tracer.startChild(root, 'invoke_agent', 'internal', 0, {}).spanId);
            }
          }
        }
      }
    }
    expect(runs).toBe(60);
    expect(traces.size).toBe(runs * workflowsPerRun);
    // Span ids need only be unique within a trace; 64 random bits make them unique across all of these too.
    expect(spans.size).toBe(runs * workflowsPerRun * (1 + CHILDREN));
  });
});

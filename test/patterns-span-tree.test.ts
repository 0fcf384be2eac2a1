import { describe, expect, it } from 'vitest';
import type { PatternName } from '../harness/scenario/types.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/** Every pattern on one scenario, with faults, retries, a deadline and escalations to stress the trees. */
const agent = (name: string, extra = '', model = 'small-fast'): string => `
  ${name}:
    role: ${name}
    model: ${model}
    promptTokens: 200
    outputTokens: { dist: lognormal, p50: 200, p95: 600 }
    faults: { error: 0.05, timeout: 0.02, rateLimit: 0.05 }
    timeout: 20s${extra}`;

const scenario = scenarioFromYaml(`
name: trees
agents:${agent('classifier', '\n    skill: 0.7')}${agent('spec-a')}${agent('spec-b')}${agent('general')}${agent('human', '\n    latency: { dist: lognormal, p50: 30m, p95: 2h }', 'rule-based')}${agent('w1')}${agent('w2')}${agent('w3', '\n    latency: { dist: uniform, min: 1s, max: 40s }')}${agent('judge')}${agent('boss', '\n    skill: 0.8')}
cases:
  generate: { count: 40, labels: { a: 1, b: 1, c: 1 }, inputTokens: 800, distinct: 15 }
patterns:
  sequential: { steps: [w1, w2, judge] }
  fanout: { workers: [w1, w2, w3], merge: reconciler, reconciler: judge, minSuccesses: 2, deadline: 15s }
  router:
    classifier: classifier
    routes: { a: spec-a, b: spec-b }
    fallback: general
    confidenceThreshold: 0.5
    lowConfidence: escalate
    escalation: human
    cache: { ttl: 1h }
  supervisor:
    supervisor: boss
    subtasks: [{ name: first, worker: w1, reassignTo: w2 }, { name: second, worker: w3 }]
    followUps: [{ name: extra, worker: w2 }]
    maxRounds: 4
    timeBound: 5m
  single-agent: { agent: judge }
`);

const patterns: PatternName[] = ['sequential', 'fanout', 'router', 'supervisor', 'single-agent'];

describe('span trees of every executor', () => {
  for (const pattern of patterns) {
    it(`${pattern}: one invoke_workflow root per workflow, invoke_agent children under it, chat spans under those, timestamps nested`, async () => {
      const { sink } = await runOnce(scenario, { pattern, concurrency: 8, repeat: 2 });
      const spans = sink!.spans;
      const workflows = sink!.workflows;
      expect(workflows).toHaveLength(80);
      expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length);
      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const roots = spans.filter((span) => span.parentSpanId === '');
      expect(roots).toHaveLength(80);
      expect(new Set(roots.map((root) => root.traceId)).size).toBe(80);
      expect(roots.every((root) => root.name === 'invoke_workflow trees')).toBe(true);
      const rootOf = new Map(roots.map((root) => [root.traceId, root]));
      let agentSpans = 0;
      for (const span of spans) {
        if (span.parentSpanId === '') continue;
        const parent = byId.get(span.parentSpanId);
        expect(parent, `parent of ${span.name}`).toBeDefined();
        expect(parent!.traceId).toBe(span.traceId);
        expect(span.startMs).toBeGreaterThanOrEqual(parent!.startMs);
        expect(span.endMs).toBeLessThanOrEqual(parent!.endMs);
        expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
        if (span.name.startsWith('invoke_agent ')) {
          agentSpans++;
          expect(parent).toBe(rootOf.get(span.traceId));
        } else {
          expect(span.name.startsWith('chat ')).toBe(true);
          expect(parent!.name.startsWith('invoke_agent ')).toBe(true);
        }
      }
      expect(agentSpans).toBe(workflows.reduce((sum, workflow) => sum + workflow.agentCalls, 0));
      for (const workflow of workflows) {
        const root = rootOf.get(workflow.traceId)!;
        expect(root.startMs).toBe(workflow.startMs);
        expect(root.endMs).toBe(workflow.endMs);
      }
    });
  }
});

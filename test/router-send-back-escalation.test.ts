import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const fixed = 'faults: { error: 0, timeout: 0, rateLimit: 0 }';
const yaml = (router: string, classifierSkill: number) => `
name: sent-back
agents:
  classifier: { role: classifies, model: small-fast, skill: ${classifierSkill}, latency: 1s, ${fixed} }
  s-a: { role: a, model: small-fast, skill: 1, latency: 2s, ${fixed} }
  s-b: { role: b, model: small-fast, skill: 1, latency: 2s, ${fixed} }
  human: { role: tier-2, model: rule-based, skill: 1, latency: 30m, timeout: 2h, ${fixed} }
cases:
  generate: { count: 400, labels: { a: 1, b: 1 } }
patterns:
  router: ${router}
`;
const roots = (spans: readonly { parentSpanId: string; traceId: string; attributes: Record<string, unknown> }[]) =>
  new Map(spans.filter((span) => span.parentSpanId === '').map((span) => [span.traceId, span]));

describe('router send-back and escalation', () => {
  it('a misrouted request is sent back once, re-classified with the wrong label excluded, and then answered right', async () => {
    // Two labels, a classifier that is always wrong first: the re-classification must pick the other label.
    const { sink } = await runOnce(scenarioFromYaml(yaml('{ classifier: classifier, routes: { a: s-a, b: s-b } }', 0)));
    const byTrace = roots(sink!.spans);
    for (const workflow of sink!.workflows) {
      expect(byTrace.get(workflow.traceId)!.attributes['patternbench.router.sent_back']).toBe(true);
      // classify (1 s) → wrong specialist sends back (2 s) → re-classify (1 s) → specialist (2 s)
      expect(workflow.agentCalls).toBe(4);
      expect(workflow.latencyMs).toBe(6000);
    }
    // The re-classification is itself wrong with probability 1 − skill = 1, but 'excluded' leaves only the right label.
    expect(sink!.workflows.every((workflow) => workflow.correct === true)).toBe(true);
  });

  it('escalates below the confidence threshold to the human agent, whose latency the workflow carries', async () => {
    const { sink } = await runOnce(
      scenarioFromYaml(yaml('{ classifier: classifier, routes: { a: s-a, b: s-b }, confidenceThreshold: 0.95, lowConfidence: escalate, escalation: human }', 0.9)),
    );
    const byTrace = roots(sink!.spans);
    const escalated = sink!.workflows.filter((workflow) => byTrace.get(workflow.traceId)!.attributes['patternbench.router.escalated'] === true);
    // Confidence is uniform in [0.6, 1) when right: below 0.95 with probability 0.875; always below when wrong.
    expect(escalated.length).toBeGreaterThan(300);
    for (const workflow of escalated) {
      expect(workflow.latencyMs).toBe(1000 + 30 * 60_000);
      expect(byTrace.get(workflow.traceId)!.attributes['patternbench.router.escalation_ms']).toBe(30 * 60_000);
      expect(workflow.correct).toBe(true);
    }
  });
});

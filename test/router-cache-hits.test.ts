import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const yaml = (cache: string) => `
name: cached-routing
agents:
  classifier: { role: classifies, model: small-fast, skill: 1, latency: 500ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  billing: { role: billing, model: small-fast, skill: 1, latency: 2s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  tech: { role: tech, model: small-fast, skill: 1, latency: 2s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 200, labels: { billing: 1, tech: 1 }, distinct: 20 }
patterns:
  router: { classifier: classifier, routes: { billing: billing, tech: tech }${cache} }
`;

describe('router cache', () => {
  it('serves recurring inputs from the cache within the TTL: one classifier call per distinct input, the rest saved', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml(', cache: { ttl: 1h }')));
    const roots = sink!.spans.filter((span) => span.parentSpanId === '');
    const hits = roots.filter((root) => root.attributes['patternbench.router.cache'] === 'hit').length;
    const saved = roots.reduce((sum, root) => sum + (root.attributes['patternbench.router.saved_calls'] as number), 0);
    const classifierCalls = sink!.spans.filter((span) => span.name === 'invoke_agent classifier').length;
    // 200 cases drawn from 20 distinct inputs (all 20 occur): each is classified once.
    expect(classifierCalls).toBe(20);
    expect(hits).toBe(200 - classifierCalls);
    expect(saved).toBe(hits);
    // A hit skips the 500 ms classifier call.
    const hit = sink!.workflows.find((workflow) => roots.find((root) => root.traceId === workflow.traceId)!.attributes['patternbench.router.cache'] === 'hit')!;
    expect(hit.latencyMs).toBe(2000);
  });

  it('expires entries after the TTL: with a TTL shorter than one workflow nothing is served from the cache', async () => {
    const { sink } = await runOnce(scenarioFromYaml(yaml(', cache: { ttl: 1s }')));
    const roots = sink!.spans.filter((span) => span.parentSpanId === '');
    expect(roots.every((root) => root.attributes['patternbench.router.cache'] === 'miss')).toBe(true);
    expect(sink!.spans.filter((span) => span.name === 'invoke_agent classifier')).toHaveLength(200);
  });
});

import { describe, expect, it } from 'vitest';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const scenario = scenarioFromYaml(`
name: triage-desk
agents:
  reader: { role: reads, model: small-fast, faults: { error: 0, timeout: 0, rateLimit: 0 } }
  writer: { role: writes, model: mid-tier, tools: [kb-search], faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 6, labels: { yes: 1, no: 1 } }
patterns:
  sequential: { steps: [reader, writer] }
`);

describe('spans follow the OpenTelemetry GenAI conventions', () => {
  it('roots each trace in an internal `invoke_workflow {gen_ai.workflow.name}` span whose conversation id is the session', async () => {
    const { sink } = await runOnce(scenario, { concurrency: 2, repeat: 2 });
    const roots = sink!.spans.filter((span) => span.parentSpanId === '');
    expect(roots).toHaveLength(12);
    for (const root of roots) {
      expect(root.name).toBe('invoke_workflow triage-desk');
      expect(root.kind).toBe('internal');
      expect(root.attributes['gen_ai.operation.name']).toBe('invoke_workflow');
      expect(root.attributes['gen_ai.workflow.name']).toBe('triage-desk');
      const repeat = root.attributes['patternbench.repeat'];
      const session = repeat === 0 ? root.attributes['patternbench.case_id'] : `${String(root.attributes['patternbench.case_id'])}#${String(repeat)}`;
      expect(root.attributes['gen_ai.conversation.id']).toBe(session);
      // `session.id` is kept for the tools that group by it (OpenInference, Langfuse).
      expect(root.attributes['session.id']).toBe(session);
    }
  });

  it('records in-process agent calls as internal `invoke_agent` spans and model attempts as client `chat` spans', async () => {
    const { sink } = await runOnce(scenario, { concurrency: 2 });
    const kinds = new Map<string, Set<string>>();
    for (const span of sink!.spans) {
      const operation = String(span.attributes['gen_ai.operation.name']);
      kinds.set(operation, (kinds.get(operation) ?? new Set()).add(span.kind));
    }
    expect(Object.fromEntries([...kinds].map(([operation, set]) => [operation, [...set]]))).toEqual({
      invoke_workflow: ['internal'],
      invoke_agent: ['internal'],
      chat: ['client'],
      execute_tool: ['internal'],
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { AuditRecord, EventRecord, SpanRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

/**
 * A scenario built to attempt disallowed tools: the intake agent's tool list holds two tools its
 * `support` role does not allow, and it makes 3 tool calls per call, each to one of its 4 tools;
 * the admin calls a CRM write tool its role allows through a `crm-write.*` wildcard.
 */
function scenario(onDenied: 'fail' | 'skip'): string {
  return `
name: rbac
roles:
  support: [kb-search, crm-read]
  admin: [crm-write.*]
toolPolicy: { onDenied: ${onDenied} }
agents:
  intake:
    role: Answers from the knowledge base
    model: mid-tier
    latency: 1s
    tools: [kb-search, crm-read, crm-write.update-owner, payment-api.refund]
    toolCalls: 3
    accessRoles: [support]
    faults: { error: 0, timeout: 0, rateLimit: 0 }
  admin:
    role: Updates the account owner
    model: mid-tier
    latency: 1s
    tools: [crm-write.update-owner]
    accessRoles: [admin]
    faults: { error: 0, timeout: 0, rateLimit: 0 }
cases:
  generate: { count: 300, labels: { a: 1, b: 1 } }
patterns:
  sequential: { steps: [intake, admin] }
`;
}

/** What the roles allow, written out by hand (not read from the harness). */
const ALLOWED: Record<string, readonly string[]> = { intake: ['kb-search', 'crm-read'], admin: ['crm-write.update-owner'] };

async function run(onDenied: 'fail' | 'skip') {
  const { sink } = await runOnce(scenarioFromYaml(scenario(onDenied)));
  const tools = sink!.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'execute_tool');
  const events = sink!.aux.filter((record) => record.table === 'events').map((record) => record.row as EventRecord);
  const audit = sink!.aux.filter((record) => record.table === 'audit').map((record) => record.row as AuditRecord);
  return { sink: sink!, tools, events, audit };
}

function disallowed(span: SpanRecord): boolean {
  return !(ALLOWED[String(span.attributes['gen_ai.agent.name'])] ?? []).includes(String(span.attributes['gen_ai.tool.name']));
}

describe('tool-level RBAC', () => {
  for (const onDenied of ['fail', 'skip'] as const) {
    it(`denies and records every disallowed tool call, and lets every allowed one through (onDenied: ${onDenied})`, async () => {
      const { tools, events, audit } = await run(onDenied);
      const denied = tools.filter(disallowed);
      // The scenario attempts them: with skip every intake call makes 3 picks of 4 tools, half disallowed.
      expect(denied.length).toBeGreaterThan(onDenied === 'skip' ? 300 : 100);
      for (const span of denied) {
        expect(span.attributes['patternbench.rbac.decision']).toBe('deny');
        expect(span.status).toBe('error');
        expect(span.attributes['error.type']).toBe('tool_denied');
      }
      const allowed = tools.filter((span) => !disallowed(span));
      expect(allowed.some((span) => span.attributes['gen_ai.agent.name'] === 'admin')).toBe(true);
      for (const span of allowed) {
        expect(span.attributes['patternbench.rbac.decision']).toBe('allow');
        expect(span.status).toBe('ok');
      }
      // 100 % recorded: one tool.denied event and one audit row (decision deny) per denied span.
      const deniedEvents = events.filter((event) => event.kind === 'tool.denied');
      expect(deniedEvents.length).toBe(denied.length);
      const deniedAudit = new Set(audit.filter((row) => row.action === 'tool.call' && row.decision === 'deny').map((row) => row.requestId));
      expect(deniedAudit).toEqual(new Set(denied.map((span) => span.spanId)));
      for (const event of deniedEvents) expect(JSON.parse(event.detail)['patternbench.rbac.on_denied']).toBe(onDenied);
    });
  }

  it('onDenied: fail fails the step at the first denied call, without a retry; skip completes every workflow', async () => {
    const failing = await run('fail');
    const deniedTraces = new Set(failing.tools.filter(disallowed).map((span) => span.traceId));
    for (const workflow of failing.sink.workflows) {
      if (deniedTraces.has(workflow.traceId)) expect(workflow).toMatchObject({ status: 'failed', errorType: 'tool_denied', failedStep: 'intake', modelAttempts: 1 });
      else expect(workflow.status).toBe('completed');
    }
    // P(3 allowed picks of 4 tools, 2 allowed) = 1/8: about 37 of 300 workflows complete (5 sd).
    const completed = failing.sink.workflows.filter((workflow) => workflow.status === 'completed').length;
    expect(Math.abs(completed - 300 / 8)).toBeLessThan(5 * Math.sqrt(300 * (1 / 8) * (7 / 8)));
    const skipping = await run('skip');
    expect(skipping.sink.workflows.every((workflow) => workflow.status === 'completed')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { CompiledScenario } from '../harness/scenario/types.ts';
import type { EventRecord } from '../harness/kernel/records.ts';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { runOnce } from './support/run-scenario.ts';

async function figures(scenario: CompiledScenario) {
  const { sink } = await runOnce(scenario, { pattern: 'router' });
  const facts = sink!.workflows.map((workflow) => JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>);
  const denied = sink!.aux.filter((record) => record.table === 'events' && record.row.kind === 'tool.denied').map((record) => record.row as EventRecord);
  return {
    injected: facts.filter((fact) => fact['security.injected_case'] === true).length,
    reached: facts.filter((fact) => Number(fact['security.injection_reached'] ?? 0) > 0).length,
    denied,
  };
}

describe('scenario support-routing-injection', () => {
  it('compiles with a sanitised variant, and sanitisation cuts the injections reaching the account admin', async () => {
    const base = compileScenarioFile('scenarios/support-routing-injection.yaml');
    const sanitised = base.variants.get('sanitised');
    expect(base.access.sanitise).toBe(false);
    expect(sanitised?.access.sanitise).toBe(true);
    const off = await figures(base);
    const on = await figures(sanitised as CompiledScenario);
    // One ticket in five is injected: 400 × 0.2 = 80 ± 5 sd.
    expect(Math.abs(off.injected - 80)).toBeLessThan(5 * Math.sqrt(400 * 0.2 * 0.8));
    expect(on.injected).toBe(off.injected);
    expect(off.reached).toBeGreaterThan(0);
    expect(on.reached).toBeLessThan(off.reached);
    // General support tries the CRM write tool its role does not allow: every such call is denied.
    expect(off.denied.length).toBeGreaterThan(0);
    for (const event of off.denied) expect([event.subject, JSON.parse(event.detail)['gen_ai.tool.name']]).toEqual(['general-support', 'crm-write.update-owner']);
  });
});

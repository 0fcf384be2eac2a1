import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../harness/kernel/records.ts';
import { runOnce, scenarioFromYaml } from './support/run-scenario.ts';

const CASES = 4000;
/** Share of cases carrying a planted injection. */
const RATE = 0.5;
/** The intake agent's injectionCarry. */
const CARRY = 0.6;
/** The sanitiser's detection rate. */
const DETECTION = 0.9;

/**
 * An untrusted intake agent reads each case and hands its output to an elevated admin with CRM
 * write access, which performs `crm-write.update-owner` when an injection reaches it. `steps`
 * picks the chain: [intake, admin] (the injection must be carried), or [admin] (it reads the case).
 */
function scenario(sanitise: boolean, steps: string): string {
  return `
name: injection
roles:
  admin: [crm-write.*]
sanitise: ${sanitise}
sanitiser: { detection: ${DETECTION} }
agents:
  intake:
    role: Reads user-submitted tickets
    model: small-fast
    latency: 1s
    trust: untrusted
    injectionCarry: ${CARRY}
    faults: { error: 0, timeout: 0, rateLimit: 0 }
  admin:
    role: Changes account owners
    model: mid-tier
    latency: 1s
    accessRoles: [admin]
    trust: elevated
    injectionAction: crm-write.update-owner
    faults: { error: 0, timeout: 0, rateLimit: 0 }
cases:
  generate: { count: ${CASES}, labels: { a: 1, b: 1 }, injections: ${RATE} }
patterns:
  sequential: { steps: ${steps} }
`;
}

const fact = (workflow: WorkflowRecord, key: string): number => Number((JSON.parse(workflow.facts ?? '{}') as Record<string, unknown>)[`security.${key}`] ?? 0);

async function shares(sanitise: boolean, steps: string) {
  const { sink } = await runOnce(scenarioFromYaml(scenario(sanitise, steps)));
  const workflows = sink!.workflows;
  const injected = workflows.filter((workflow) => fact(workflow, 'injected_case') === 1);
  const reached = workflows.filter((workflow) => fact(workflow, 'injection_reached') > 0);
  const privileged = workflows.reduce((sum, workflow) => sum + fact(workflow, 'privileged_calls'), 0);
  const caused = sink!.spans.filter((span) => span.attributes['patternbench.injection.caused'] === true);
  return { injected: injected.length / CASES, reached: reached.length / CASES, reachedIds: reached, privileged, caused, injectedIds: new Set(injected.map((w) => w.workflowId)) };
}

/** 5 standard deviations of a binomial share with probability `p` over `n` trials: the tests never flake. */
const tolerance = (p: number, n = CASES): number => 5 * Math.sqrt((p * (1 - p)) / n);

describe('trust boundaries: injections reaching an elevated agent, sanitisation off and on', () => {
  it('through an untrusted intake: reach ≈ rate × carry off, × (1 − detection) more on', async () => {
    const off = await shares(false, '[intake, admin]');
    expect(Math.abs(off.injected - RATE)).toBeLessThan(tolerance(RATE));
    // Off: reach = 0.5 × 0.6 = 0.30 (± 0.036).
    expect(Math.abs(off.reached - RATE * CARRY)).toBeLessThan(tolerance(RATE * CARRY));
    // Only injected cases can reach; each reach makes one privileged call, on its own execute_tool span.
    for (const workflow of off.reachedIds) expect(off.injectedIds.has(workflow.workflowId)).toBe(true);
    expect(off.privileged).toBe(off.reachedIds.length);
    expect(off.caused.length).toBe(off.reachedIds.length);
    for (const span of off.caused) expect(span.attributes['gen_ai.tool.name']).toBe('crm-write.update-owner');

    const on = await shares(true, '[intake, admin]');
    // On: reach = 0.5 × 0.6 × (1 − 0.9) = 0.03 (± 0.0135). The same cases are injected (same seed).
    expect(on.injected).toBe(off.injected);
    expect(Math.abs(on.reached - RATE * CARRY * (1 - DETECTION))).toBeLessThan(tolerance(RATE * CARRY * (1 - DETECTION)));
    expect(on.privileged).toBe(on.reachedIds.length);
  });

  it('an elevated agent reading the case itself: reach ≈ rate off, rate × (1 − detection) on', async () => {
    const off = await shares(false, '[admin]');
    // Every injected case reaches it: nothing stands between the ticket and the admin.
    expect(off.reached).toBe(off.injected);
    const on = await shares(true, '[admin]');
    expect(Math.abs(on.reached - RATE * (1 - DETECTION))).toBeLessThan(tolerance(RATE * (1 - DETECTION)));
  });
});

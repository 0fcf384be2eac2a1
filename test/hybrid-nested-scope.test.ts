import { describe, expect, it } from 'vitest';
import type { Cancellation } from '../harness/kernel/clock.ts';
import type { AttributeValue } from '../harness/kernel/records.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import type { CaseSpec, CompiledScenario } from '../harness/scenario/types.ts';
import { patternDefinitions } from '../patterns/index.ts';
import type { AgentInput, CallOutcome, NestedScope, WorkflowContext, WorkflowOutcome } from '../patterns/types.ts';

const scenario = compileScenarioText(
  `
name: nested-scope
agents:
  classify: { role: classifies, model: small-fast }
  left: { role: one side, model: small-fast }
  right: { role: other side, model: small-fast }
  write: { role: writes, model: small-fast }
cases:
  inline:
    - { id: c1, inputTokens: 1000, expected: { label: x } }
patterns:
  hybrid:
    sequential:
      steps:
        - classify
        - fanout: { workers: [left, right] }
        - write
`,
  'nested-scope.yaml',
);

/** One call as the scripted context saw it: which span scope it went under, to whom, with what. */
interface SeenCall {
  readonly scope: string;
  readonly agent: string;
  readonly input: AgentInput;
}

/**
 * A scripted workflow context (no clock, no pipeline): every agent answers `x` with 100 tokens,
 * except those in `failing`; `nest` opens a named scope whose calls are recorded under its name.
 */
class ScriptedWorkflow implements WorkflowContext {
  readonly repeat = 0;
  constructor(
    readonly scenario: CompiledScenario,
    private readonly caseSpec: CaseSpec,
    private readonly scope: string,
    readonly log: { calls: SeenCall[]; facts: Map<string, AttributeValue>; ended: [string, WorkflowOutcome['status']][] },
    private readonly failing: ReadonlySet<string> = new Set(),
  ) {}

  get case(): CaseSpec {
    return this.caseSpec;
  }
  async call(agent: string, input: AgentInput): Promise<CallOutcome> {
    this.log.calls.push({ scope: this.scope, agent, input });
    if (this.failing.has(agent)) return { status: 'failed', errorType: 'error', message: `${agent} failed` };
    return { status: 'ok', output: { agent, label: 'x', tokens: 100 } };
  }
  now(): number {
    return 0;
  }
  meter(): { update(consumed: number): boolean } {
    return { update: () => false };
  }
  sleep(_ms: number, _cancel?: Cancellation): Promise<boolean> {
    return Promise.resolve(true);
  }
  usage(): { readonly tokens: number; readonly costUsd: number } {
    return { tokens: 0, costUsd: 0 };
  }
  budgetStop(): string | null {
    return null;
  }
  record(key: string, value: AttributeValue): void {
    this.log.facts.set(key, value);
  }
  nest(name: string): NestedScope {
    return {
      workflow: new ScriptedWorkflow(this.scenario, this.caseSpec, name, this.log, this.failing),
      end: (outcome) => this.log.ended.push([name, outcome.status]),
    };
  }
}

async function runHybrid(failing: readonly string[] = []) {
  const definition = patternDefinitions.get('hybrid')!;
  const executor = definition.create(scenario.patterns.get('hybrid'), scenario);
  const caseSpec = (scenario.cases.kind === 'inline' ? scenario.cases.items[0] : undefined)!;
  const log = { calls: [] as SeenCall[], facts: new Map<string, AttributeValue>(), ended: [] as [string, WorkflowOutcome['status']][] };
  const outcome = await executor.run(new ScriptedWorkflow(scenario, caseSpec, 'root', log, new Set(failing)));
  return { outcome, log };
}

describe('a nested pattern runs on its own span scope, fed what its parent handed in', () => {
  it("puts the nested fan-out's calls under `invoke_workflow sequential.steps[1].fanout`, the outer steps under the root", async () => {
    const { outcome, log } = await runHybrid();
    expect(outcome).toMatchObject({ status: 'completed', output: { agent: 'write' } });
    expect(log.calls.map((call) => `${call.scope}:${call.agent}`)).toEqual([
      'root:classify',
      'sequential.steps[1].fanout:left',
      'sequential.steps[1].fanout:right',
      'root:write',
    ]);
    expect(log.ended).toEqual([['sequential.steps[1].fanout', 'completed']]);
  });

  it("reads the case plus the classifier's output (accumulate: 1,000 + 100 tokens) with the classifier upstream", async () => {
    const { log } = await runHybrid();
    for (const call of log.calls.filter((seen) => seen.scope !== 'root')) {
      expect(call.input.tokens).toBe(1_100);
      expect(call.input.upstream.map((output) => output.agent)).toEqual(['classify']);
    }
    // The last step reads the case and both earlier outputs: the classifier's, and the fan-out's
    // merged one, which carries both workers' outputs (2 × 100 tokens), as an agent's output would.
    expect(log.calls.at(-1)?.input.tokens).toBe(1_000 + 100 + 2 * 100);
    expect(log.calls.at(-1)?.input.upstream.map((output) => output.agent)).toEqual(['classify', 'merged']);
  });

  it('prefixes the nested facts with the slot it stands in', async () => {
    const { log } = await runHybrid();
    expect(log.facts.get('patternbench.sequential.steps[1].fanout.successes')).toBe(2);
    expect([...log.facts.keys()].filter((key) => key.startsWith('patternbench.fanout.'))).toEqual([]);
  });

  it('fails the workflow at the nested pattern when it fails, naming the step inside it as a fact', async () => {
    const { outcome, log } = await runHybrid(['right']);
    expect(outcome).toMatchObject({ status: 'failed', errorType: 'insufficient_results', failedStep: 'sequential.steps[1].fanout' });
    expect(log.facts.get('patternbench.sequential.steps[1].fanout.failed_step')).toBe('right');
    expect(log.ended).toEqual([['sequential.steps[1].fanout', 'failed']]);
    expect(log.calls.map((call) => call.agent)).not.toContain('write');
  });
});

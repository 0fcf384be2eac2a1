import { materialiseCases } from '../../harness/run/cases.ts';
import { RealClock } from '../../harness/kernel/real-clock.ts';
import { executeRun } from '../../harness/run/runner.ts';
import type { SpanRecord, WorkflowRecord } from '../../harness/kernel/records.ts';
import { MemorySink } from '../../reports/store/memory-sink.ts';
import { scenarioFromYaml } from './run-scenario.ts';

/** A one-case scenario whose only agent, `solo`, is real: `endpoint` and `extra` are YAML flow-map bodies. */
export function oneRealAgentYaml(endpoint: string, extra = ''): string {
  return [
    'name: one-real-agent',
    'agents:',
    `  solo: { role: Classifies tickets, model: mid-tier, endpoint: { ${endpoint} }${extra === '' ? '' : `, ${extra}`} }`,
    'cases:',
    '  inline:',
    '    - { id: c1, input: { text: "refund please" }, expected: { label: billing } }',
    '    - { id: c2, input: { text: "app crashes" }, expected: { label: bug } }',
    'patterns:',
    '  single-agent: { agent: solo }',
    '',
  ].join('\n');
}

/** What a real-time run of the first case recorded. */
export interface RealRun {
  readonly workflow: WorkflowRecord;
  /** The run's `chat` spans, in the order they ended. */
  readonly chats: readonly SpanRecord[];
}

/** Runs the first case of `yaml` on the wall clock into a memory sink. */
export async function runFirstCase(yaml: string): Promise<RealRun> {
  const scenario = scenarioFromYaml(yaml);
  const sink = new MemorySink();
  await executeRun(
    { scenario, pattern: 'single-agent', variant: 'base', seed: 1, cases: materialiseCases(scenario, 1), repeat: 1, load: scenario.load },
    sink,
    new RealClock(),
  );
  const workflow = sink.workflows[0];
  if (workflow === undefined) throw new Error('the run wrote no workflow');
  return { workflow, chats: sink.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat') };
}

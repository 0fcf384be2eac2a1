import type { Agent } from './call.ts';
import { buildPipeline } from './call-pipeline.ts';
import type { Clock } from './clock.ts';
import { HarnessError } from './errors.ts';
import type { WorkflowRecord } from './records.ts';
import { deriveRng } from './rng.ts';
import { KeyHashes, type RunContext } from './run-context.ts';
import { scenarioToJson } from './scenario-json.ts';
import type { CaseSpec, CompiledScenario, PatternName } from './scenario-types.ts';
import { SimulatedAgent } from './simulated-agent.ts';
import { RunTracer } from './tracer.ts';
import { runWorkflow } from './workflow.ts';
import { patternDefinitions } from '../patterns/index.ts';
import type { RecordSink } from '../reports/sink.ts';

/** Unix ms that virtual time 0 maps to in exported traces: fixed, so traces are reproducible. */
export const VIRTUAL_EPOCH_MS = 1_767_225_600_000; // 2026-01-01T00:00:00Z

/** One cell of the matrix, ready to run. */
export interface RunSpec {
  readonly scenario: CompiledScenario;
  readonly pattern: PatternName;
  /** Variant name; `base` when the scenario has none. */
  readonly variant: string;
  readonly seed: number;
  readonly cases: readonly CaseSpec[];
  /** Times each case runs (`--repeat`), ≥ 1. */
  readonly repeat: number;
  /** Workflows in flight at once (closed loop, no think time), ≥ 1. */
  readonly concurrency: number;
}

/** Observers of a run in progress. */
export interface RunHooks {
  /** Called after each workflow's row is written. */
  readonly onWorkflow?: (record: WorkflowRecord) => void;
  /** Polled before each workflow starts; true stops the run (interrupt). */
  readonly shouldStop?: () => boolean;
  /** Wall-clock metadata for the `runs` row. */
  readonly startedAt?: string;
  readonly finishedAt?: () => string;
}

/** How a run ended. */
export interface RunOutcome {
  readonly runId: string;
  readonly status: 'completed' | 'interrupted';
  readonly workflows: number;
  readonly agentCalls: number;
  /** Virtual time at which the last workflow ended, ms. */
  readonly virtualEndMs: number;
}

/** `legal-review/sequential/base/seed-42`: stable, readable, unique per cell. */
export function runIdOf(spec: Pick<RunSpec, 'scenario' | 'pattern' | 'variant' | 'seed'>): string {
  return `${spec.scenario.name}/${spec.pattern}/${spec.variant}/seed-${spec.seed}`;
}

/**
 * Runs one cell on `clock`, writing its run row, spans and workflow rows to `sink`. Cases run in
 * a closed loop of `concurrency` workflows; workflow ids follow case order, then repeat.
 */
export async function executeRun(spec: RunSpec, sink: RecordSink, clock: Clock, hooks: RunHooks = {}): Promise<RunOutcome> {
  const definition = patternDefinitions.get(spec.pattern);
  const config = spec.scenario.patterns.get(spec.pattern);
  if (definition === undefined || config === undefined) {
    throw new HarnessError('PATTERN_UNKNOWN', `scenario ${spec.scenario.name} does not configure pattern ${spec.pattern}`);
  }
  const runId = runIdOf(spec);
  const agents = new Map<string, Agent>();
  for (const agent of spec.scenario.agents.values()) agents.set(agent.name, new SimulatedAgent(agent, spec.scenario, clock));
  const run: RunContext = {
    runId,
    scenario: spec.scenario,
    pattern: spec.pattern,
    variant: spec.variant,
    seed: spec.seed,
    clock,
    tracer: new RunTracer(runId, deriveRng(spec.seed, 'ids', runId), sink),
    agents,
    pipeline: buildPipeline(agents),
    keys: new KeyHashes(),
  };
  const executor = definition.create(config, spec.scenario);

  sink.beginRun({
    runId,
    scenario: spec.scenario.name,
    pattern: spec.pattern,
    variant: spec.variant,
    seed: spec.seed,
    epochMs: VIRTUAL_EPOCH_MS,
    config: scenarioToJson(spec.scenario),
    startedAt: hooks.startedAt ?? '',
  });

  const total = spec.cases.length * spec.repeat;
  let started = 0;
  let finished = 0;
  let agentCalls = 0;
  let virtualEndMs = 0;
  let interrupted = false;
  const worker = async (): Promise<void> => {
    while (started < total) {
      if (hooks.shouldStop?.()) {
        interrupted = true;
        return;
      }
      const index = started++;
      const caseSpec = spec.cases[index % spec.cases.length] as CaseSpec;
      const repeat = Math.floor(index / spec.cases.length);
      const record = await runWorkflow(run, executor, { workflowId: index, caseSpec, repeat, intendedStartMs: clock.now() });
      sink.writeWorkflow(record);
      finished++;
      agentCalls += record.agentCalls;
      if (record.endMs > virtualEndMs) virtualEndMs = record.endMs;
      hooks.onWorkflow?.(record);
    }
  };
  const workers = Array.from({ length: Math.min(spec.concurrency, Math.max(total, 1)) }, worker);
  await clock.run(() => Promise.all(workers), {
    beforeAdvance: () => (sink.backlogged() ? sink.ready() : undefined),
  });

  const status = interrupted ? 'interrupted' : 'completed';
  sink.endRun(runId, { status, finishedAt: hooks.finishedAt?.() ?? '', virtualEndMs });
  return { runId, status, workflows: finished, agentCalls, virtualEndMs };
}

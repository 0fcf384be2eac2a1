import type { Agent } from './call.ts';
import { buildPipeline } from './call-pipeline.ts';
import type { Clock } from './clock.ts';
import { HarnessError } from './errors.ts';
import type { WorkflowRecord } from './records.ts';
import { ArrivalSchedule } from './arrivals.ts';
import { compileSampler } from './distributions.ts';
import { driveClosed, driveOpen, type LoadContext } from './load-drivers.ts';
import { deriveRng, hashKey, mixSeed } from './rng.ts';
import { defaultWindowMs, RunMetrics } from './run-metrics.ts';
import { RunEvents } from './run-events.ts';
import { RunResources } from './run-resources.ts';
import { KeyHashes, type RunContext } from './run-context.ts';
import { scenarioToJson } from './scenario-json.ts';
import type { CaseSpec, CompiledScenario, LoadModel, PatternName } from './scenario-types.ts';
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
  /** Times each case runs (`--repeat`), ≥ 1; a closed load without a duration runs cases × repeat workflows. */
  readonly repeat: number;
  /** How workflows arrive (the scenario's `load:`, or CLI overrides). */
  readonly load: LoadModel;
  /** `i/n` when the matrix is sharded; '' otherwise. */
  readonly shard?: string;
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
  /** Agents to use instead of simulated ones, by name (real agents, test doubles). */
  readonly agents?: ReadonlyMap<string, Agent>;
}

/** How a run ended. */
export interface RunOutcome {
  readonly runId: string;
  readonly status: 'completed' | 'interrupted';
  readonly workflows: number;
  readonly agentCalls: number;
  /** Virtual time at which the last workflow ended, ms. */
  readonly virtualEndMs: number;
  /** Arrivals dropped at the in-flight cap (open load). */
  readonly dropped: number;
}

/** `legal-review/sequential/base/seed-42`: stable, readable, unique per cell. */
export function runIdOf(spec: Pick<RunSpec, 'scenario' | 'pattern' | 'variant' | 'seed'>): string {
  return `${spec.scenario.name}/${spec.pattern}/${spec.variant}/seed-${spec.seed}`;
}

/** How long a run under `load` is expected to last, ms; null when unknown (a closed loop over cases). */
export function expectedDurationMs(load: LoadModel): number | null {
  return load.kind === 'open' ? ArrivalSchedule.durationMs(load.phases) : load.durationMs;
}

/**
 * Runs one cell on `clock`, writing its run row, spans, workflow rows, time series and histograms
 * to `sink`. Workflows arrive per the load model; workflow `i` runs case `i mod cases` (repeat
 * `⌊i / cases⌋`). Arrivals are drawn from a stream of the seed and scenario, so every pattern and
 * variant of a scenario sees the same arrivals.
 */
export async function executeRun(spec: RunSpec, sink: RecordSink, clock: Clock, hooks: RunHooks = {}): Promise<RunOutcome> {
  const definition = patternDefinitions.get(spec.pattern);
  const config = spec.scenario.patterns.get(spec.pattern);
  if (definition === undefined || config === undefined) {
    throw new HarnessError('PATTERN_UNKNOWN', `scenario ${spec.scenario.name} does not configure pattern ${spec.pattern}`);
  }
  const runId = runIdOf(spec);
  const load = spec.load;
  const metrics = new RunMetrics(runId, load.windowMs ?? defaultWindowMs(expectedDurationMs(load)), sink);
  const tapped = metrics.tap(sink);
  clock.observeLag?.((lateMs) => metrics.lag.record(lateMs));
  const agents = new Map<string, Agent>();
  for (const agent of spec.scenario.agents.values()) {
    agents.set(agent.name, hooks.agents?.get(agent.name) ?? new SimulatedAgent(agent, spec.scenario, clock));
  }
  const run: RunContext = {
    runId,
    scenario: spec.scenario,
    pattern: spec.pattern,
    variant: spec.variant,
    seed: spec.seed,
    clock,
    tracer: new RunTracer(runId, mixSeed(spec.seed, hashKey('ids'), hashKey(runId)), tapped),
    agents,
    pipeline: buildPipeline(agents),
    resources: new RunResources(spec.scenario, clock, metrics),
    events: new RunEvents(runId, sink),
    sink,
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
    clock: clock.virtual ? 'virtual' : 'real',
    load: JSON.stringify(load),
    shard: spec.shard ?? '',
  });

  let finished = 0;
  let agentCalls = 0;
  let virtualEndMs = 0;
  const cases = spec.cases;
  const context: LoadContext = {
    clock,
    metrics,
    shouldStop: () => hooks.shouldStop?.() === true,
    launch: async (index, intendedStartMs) => {
      const caseSpec = cases[index % cases.length] as CaseSpec;
      const repeat = Math.floor(index / cases.length);
      metrics.started(clock.now());
      const record = await runWorkflow(run, executor, { workflowId: index, caseSpec, repeat, intendedStartMs });
      sink.writeWorkflow(record);
      metrics.ended(record);
      finished++;
      agentCalls += record.agentCalls;
      if (record.endMs > virtualEndMs) virtualEndMs = record.endMs;
      hooks.onWorkflow?.(record);
    },
  };
  const thinkTime = load.kind === 'closed' ? load.thinkTimeMs : null;
  const think = thinkTime === null || (thinkTime.kind === 'fixed' && thinkTime.value === 0) ? null : compileSampler(thinkTime);
  const interrupted = await clock.run(
    () =>
      load.kind === 'closed'
        ? driveClosed(load, context, cases.length * spec.repeat, (index) => (think === null ? 0 : think(deriveRng(spec.seed, 'think', spec.scenario.name, index))))
        : driveOpen(load, context, deriveRng(spec.seed, 'arrivals', spec.scenario.name)),
    { beforeAdvance: () => (sink.backlogged() ? sink.ready() : undefined) },
  );

  clock.observeLag?.(null);
  metrics.finish(Math.max(virtualEndMs, clock.now()));
  const status = interrupted ? 'interrupted' : 'completed';
  sink.endRun(runId, { status, finishedAt: hooks.finishedAt?.() ?? '', virtualEndMs });
  return { runId, status, workflows: finished, agentCalls, virtualEndMs, dropped: metrics.droppedTotal };
}

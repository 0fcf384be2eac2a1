import type { Agent } from '../pipeline/call.ts';
import { AuditTrail } from '../governance/audit.ts';
import { buildPipeline, standardInterceptors } from '../pipeline/call-pipeline.ts';
import { RunPrivacy } from '../governance/pii.ts';
import { maskKey } from '../governance/pii-key-random.ts';
import { maskingSink } from '../governance/pii-sink.ts';
import { RunCheckpoints } from './recovery/checkpoint.ts';
import type { Clock } from '../kernel/clock.ts';
import { HarnessError } from '../kernel/errors.ts';
import type { WorkflowRecord } from '../kernel/records.ts';
import { ArrivalSchedule } from './arrivals.ts';
import { compileSampler } from '../kernel/distributions.ts';
import { DeadLetterQueue, replaySeed, type ReplayPlan } from './recovery/dlq.ts';
import { driveClosed, driveOpen, type LoadContext } from './load-drivers.ts';
import { deriveRng } from '../kernel/rng.ts';
import { defaultWindowMs, RunMetrics } from './run-metrics.ts';
import { RunBudget } from '../pipeline/budget.ts';
import { Keyed } from '../kernel/keyed.ts';
import { RunEvents } from '../pipeline/run-events.ts';
import { RunResources } from '../pipeline/run-resources.ts';
import type { RunResume } from './recovery/resume-state.ts';
import { resumeSink } from './recovery/resume-sink.ts';
import { ExpectedJson, FactKeys, KeyHashes, type RunContext } from './run-context.ts';
import { runConfigJson } from './scenario-json.ts';
import { TraceBuffer } from './trace-buffer.ts';
import { thresholdNamings } from './trace-naming.ts';
import { tracePolicyFor, type TracePolicy } from './trace-policy.ts';
import { TailRetention, type KeepReason } from './trace-retention.ts';
import type { ThresholdSpec } from '../scenario/thresholds.ts';
import type { CaseSpec, CompiledScenario, LoadModel, PatternName } from '../scenario/types.ts';
import { SimulatedAgent } from '../agents/simulated-agent.ts';
import { HttpAgent } from '../agents/http-agent.ts';
import { RunTracer } from '../kernel/tracer.ts';
import { runWorkflow } from './workflow.ts';
import { patternDefinitions } from '../../patterns/index.ts';
import type { RecordSink } from '../../reports/store/sink.ts';

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
  /**
   * Run only slice `index` of `count` of this run (harness/run/slices.ts): the workflows with
   * workflow_id % count = index − 1, on arrivals and cases computed for the whole run, its `runs`
   * row labelled shard `index/count` (what `merge` combines). Open loads only; default the whole run.
   */
  readonly slice?: { readonly index: number; readonly count: number };
  /** Set by `dlq replay`: the run re-runs these dead-lettered workflows, under its own run id and streams. */
  readonly replay?: ReplayPlan;
  /**
   * Which traces the run keeps (`--traces`, harness/run/trace-policy.ts). Default: `tail` for an
   * open load whose arrivals last longer than ten minutes, else `all`.
   */
  readonly traces?: TracePolicy | null;
}

/** Observers of a run in progress. */
export interface RunHooks {
  /** Called after each workflow ends, its row written (or, resuming, already in the file). */
  readonly onWorkflow?: (record: WorkflowRecord) => void;
  /** Polled before each workflow starts; true stops the run (interrupt). */
  readonly shouldStop?: () => boolean;
  /** Wall-clock metadata for the `runs` row. */
  readonly startedAt?: string;
  readonly finishedAt?: () => string;
  /** Agents to use instead of simulated ones, by name (real agents, test doubles). */
  readonly agents?: ReadonlyMap<string, Agent>;
  /** Wraps every agent of the run, simulated or given (`--record`: harness/agents/record-agent.ts); default none. */
  readonly wrapAgent?: (agent: Agent) => Agent;
  /** Save a checkpoint per completed agent call (default true; `--no-checkpoints` turns it off). */
  readonly checkpoints?: boolean;
  /** `--threshold` checks, beside the scenario's own: under `--traces tail` the workflows they name keep their traces. Default none. */
  readonly thresholds?: readonly ThresholdSpec[];
  /**
   * Continue this interrupted run (its row exists) instead of starting it: `--resume`,
   * harness/run/recovery/resume.ts. The run is simulated whole again, storing only what its file lacks.
   */
  readonly resume?: RunResume;
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
  /** The traces the run kept: its policy and, under `tail`, the workflows that kept theirs by reason (null under `all`). */
  readonly traces: { readonly policy: TracePolicy; readonly kept: Readonly<Record<KeepReason, number>> | null };
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
  const runId = spec.replay?.runId ?? runIdOf(spec);
  const load = spec.load;
  const resume = hooks.resume;
  // Case fields with a data class are masked in everything the run records (harness/governance/pii-sink.ts).
  const privacy = spec.scenario.privacy === null ? null : new RunPrivacy(spec.scenario.privacy, maskKey());
  if (resume !== undefined && (!clock.virtual || spec.slice !== undefined)) {
    throw new HarnessError('USAGE', `${runId}: only a whole run on virtual time can be resumed`);
  }
  const slice = spec.slice;
  if (slice !== undefined && load.kind !== 'open') throw new HarnessError('USAGE', `${runId}: only a run with an open load can be sliced`);
  // A resumed run stores only what its file lacks (harness/run/recovery/resume-sink.ts); its metrics, tapped above that, see every workflow.
  sink = resumeSink(maskingSink(sink, privacy), runId, resume);
  const metrics = new RunMetrics(runId, load.windowMs ?? defaultWindowMs(expectedDurationMs(load)), sink);
  // Under `tail`, spans wait with their workflow for the decision to keep them (harness/run/trace-buffer.ts), below the metrics, which see them all.
  const policy = tracePolicyFor(load, spec.traces);
  const traces =
    policy.mode === 'all'
      ? null
      : new TraceBuffer(sink, runId, new TailRetention(policy.share, spec.seed, spec.scenario.name, metrics.latency, thresholdNamings(spec.scenario.thresholds, hooks.thresholds ?? [], spec.pattern)));
  const recorded = traces ?? sink;
  const tapped = metrics.tap(recorded);
  clock.observeLag?.((lateMs) => metrics.lag.record(lateMs));
  const agents = new Map<string, Agent>();
  for (const agent of spec.scenario.agents.values()) {
    const base =
      hooks.agents?.get(agent.name) ??
      (agent.endpoint === null ? new SimulatedAgent(agent, spec.scenario, clock) : new HttpAgent(agent, spec.scenario, clock));
    agents.set(agent.name, hooks.wrapAgent?.(base) ?? base);
  }
  // Hard limits the pattern puts on each workflow (a supervisor's tokenBudget) are metered like `budgets.workflow`.
  const budget = new RunBudget(spec.scenario.budgets, (definition.limits?.(config) ?? []).map((limit) => ({ scope: spec.pattern, ...limit })));
  const events = new RunEvents(runId, sink);
  const run: RunContext = {
    runId,
    scenario: spec.scenario,
    pattern: spec.pattern,
    variant: spec.variant,
    seed: spec.replay === undefined ? spec.seed : replaySeed(spec.seed, spec.replay.number),
    clock,
    tracer: new RunTracer(runId, spec.seed, tapped),
    agents,
    pipeline: buildPipeline(spec.scenario, agents, standardInterceptors(spec.scenario, { budgets: budget.any, observers: metrics })),
    breakers: new Keyed(),
    budget,
    resources: new RunResources(spec.scenario, clock, metrics, { events, seed: spec.seed, scenario: spec.scenario.name }),
    events,
    deadLetters: new DeadLetterQueue(runId, sink),
    checkpoints: new RunCheckpoints(recorded, hooks.checkpoints ?? true),
    sink,
    keys: new KeyHashes(),
    factKeys: new FactKeys(),
    expectedJson: new ExpectedJson(),
    rootSpanName: `invoke_workflow ${spec.scenario.name}`,
    audit: new AuditTrail(runId, sink, spec.scenario.audit),
    privacy,
  };
  const executor = definition.create(config, spec.scenario);

  // A resumed run's row exists (marked `running` again by harness/run/recovery/resume-cleanup.ts).
  if (resume === undefined) sink.beginRun({
    runId,
    scenario: spec.scenario.name,
    pattern: spec.pattern,
    variant: spec.variant,
    seed: spec.seed,
    epochMs: VIRTUAL_EPOCH_MS,
    config: runConfigJson(spec.scenario, policy),
    startedAt: hooks.startedAt ?? '',
    clock: clock.virtual ? 'virtual' : 'real',
    load: JSON.stringify(load),
    shard: slice === undefined ? (spec.shard ?? '') : `${slice.index}/${slice.count}`,
  });

  let finished = 0;
  let agentCalls = 0;
  let virtualEndMs = 0;
  const cases = spec.cases;
  const context: LoadContext = {
    clock,
    metrics,
    // A spent run budget starts no new workflow; the arrivals it still planned are counted, dropped (the run completes).
    shouldStop: () => hooks.shouldStop?.() === true,
    budgetSpent: () => run.budget.exhausted,
    ...(slice !== undefined && { owns: (index: number) => index % slice.count === slice.index - 1 }),
    // No async frame per workflow: a workflow in flight holds its own promise chain and nothing else.
    launch: (index, intendedStartMs) => {
      // The wall clock cannot wait for a slow sink; a new workflow does (its latency shows the wait).
      if (!clock.virtual && sink.backlogged()) return sink.ready().then(() => begin(index, intendedStartMs));
      return begin(index, intendedStartMs);
    },
  };
  /** Starts workflow `index`; its row is written and counted when it ends (`ended`). */
  const begin = (index: number, intendedStartMs: number): Promise<void> => {
    const replayed = spec.replay?.workflows[index];
    const caseSpec = replayed?.caseSpec ?? (cases[index % cases.length] as CaseSpec);
    const repeat = replayed?.repeat ?? Math.floor(index / cases.length);
    metrics.started(clock.now());
    return runWorkflow(run, executor, { workflowId: index, caseSpec, repeat, intendedStartMs, replayOf: replayed?.of ?? null }).then(ended);
  };
  const ended = (record: WorkflowRecord): void => {
    recorded.writeWorkflow(record);
    metrics.ended(record);
    finished++;
    agentCalls += record.agentCalls;
    if (record.endMs > virtualEndMs) virtualEndMs = record.endMs;
    hooks.onWorkflow?.(record);
  };
  const thinkTime = load.kind === 'closed' ? load.thinkTimeMs : null;
  const think = thinkTime === null || (thinkTime.kind === 'fixed' && thinkTime.value === 0) ? null : compileSampler(thinkTime);
  const total = cases.length * spec.repeat;
  const interrupted = await clock.run(
    () =>
      (load.kind === 'closed'
        ? driveClosed(load, context, total, (index) => (think === null ? 0 : think(deriveRng(spec.seed, 'think', spec.scenario.name, index))))
        : driveOpen(load, context, deriveRng(spec.seed, 'arrivals', spec.scenario.name))
      ).finally(() => run.resources.stop(clock.now())), // autoscaled pools end with the last workflow (their timers would run on)
    { beforeAdvance: () => (sink.backlogged() ? sink.ready() : undefined) },
  );

  clock.observeLag?.(null);
  metrics.finish(Math.max(virtualEndMs, clock.now()));
  const status = interrupted && !run.budget.exhausted ? 'interrupted' : 'completed';
  recorded.endRun(runId, { status, finishedAt: hooks.finishedAt?.() ?? '', virtualEndMs, audit: run.audit?.head() ?? null });
  return { runId, status, workflows: finished, agentCalls, virtualEndMs, dropped: metrics.droppedTotal, traces: { policy, kept: traces?.keptByReason() ?? null } };
}

import type { Distribution } from '../kernel/distribution-types.ts';
import type { ScenarioIssue } from '../kernel/errors.ts';
import type { AgentAccess, ScenarioAccess, Terminology } from './trust-types.ts';
import type { CompiledState } from './schema/state.ts';

/** The pure patterns: those a hybrid composes (every pattern but `hybrid`). */
export const PURE_PATTERN_NAMES = ['sequential', 'fanout', 'router', 'supervisor', 'single-agent'] as const;
export type PurePatternName = (typeof PURE_PATTERN_NAMES)[number];

/**
 * The patterns patternbench implements: the five pure ones, and `hybrid` — one of them whose steps,
 * workers, routes or subtasks name inline patterns (harness/scenario/composition.ts).
 */
export const PATTERN_NAMES = [...PURE_PATTERN_NAMES, 'hybrid'] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

/** Kinds of failure a model attempt can end with; used by retry policies and the `error.type` attribute. */
export const ERROR_TYPES = ['error', 'timeout', 'rate_limit', 'unavailable', 'preempted', 'contract_violation'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** Parts of a case's expected outcome an agent can answer (`outputs:`), in this order. */
export const OUTPUT_KINDS = ['label', 'findings', 'value'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

/** What a model attempt costs per million tokens, in US dollars. */
export interface Pricing {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok: number;
}

/** Per-attempt fault rates (probabilities in [0, 1], summing to at most 1). */
export interface FaultRates {
  /** A provider error (5xx), the hop overhead + `errorAfterMs` into the attempt. */
  readonly error: number;
  /**
   * When a provider error ends an attempt: this long after the hop overhead. null = the model
   * profile's time to first token (the default). On a compiled agent it is resolved: the agent's
   * `faults.errorAfter`, else its `latency:` override (an agent whose attempts take that long
   * fails after that long too), else its profile's `faults.errorAfter`, else null.
   */
  readonly errorAfterMs: Distribution | null;
  /** The attempt hangs until the call's timeout fires. */
  readonly timeout: number;
  /** HTTP 429: rejected at once, with a retry-after drawn from `retryAfterMs`. */
  readonly rateLimit: number;
  readonly retryAfterMs: Distribution;
  /** Scheduled outages: attempts in these windows of run time fail at once as `unavailable` (503). */
  readonly outages: readonly FaultWindow[];
  /** Latency spikes: attempts starting in these windows take `factor` × as long. */
  readonly latencySpikes: readonly LatencySpike[];
  /** Probability that an attempt is preempted mid-call (spot capacity reclaimed): `preempted`, nothing billed. */
  readonly preemption: number;
  /** Probability that a successful attempt's output is malformed (breaks the step's output schema). */
  readonly malformedOutput: number;
}

/** A window of run time, ms from the run's start. */
export interface FaultWindow {
  readonly atMs: number;
  readonly forMs: number;
}

/** A window during which attempts are slower. */
export interface LatencySpike extends FaultWindow {
  readonly factor: number;
}

/** A model profile: latency, throughput, pricing, context window, failure rates and region. */
export interface ModelProfile {
  readonly name: string;
  /** `gen_ai.provider.name`, e.g. `openai`, `anthropic`, `self-hosted`, `none`. */
  readonly provider: string;
  /** Model id sent as `gen_ai.request.model`. */
  readonly model: string;
  /** `llm`, `classifier` (BERT-class) or `rule` (no model: free, near-instant). */
  readonly kind: 'llm' | 'classifier' | 'rule';
  readonly region: string;
  /** Time to first token, milliseconds, for a short prompt. */
  readonly ttftMs: Distribution;
  /** Prompt processing speed; input tokens ÷ this is added to the time to first token. 0 = ignore. */
  readonly prefillTokensPerSecond: number;
  /** Output tokens per second while generating. */
  readonly outputTokensPerSecond: Distribution;
  readonly pricing: Pricing;
  readonly contextWindow: number;
  readonly faults: FaultRates;
  /** The provider's rate limits on this model; null = unlimited. Shared by every agent on the profile's provider/model. */
  readonly rateLimits: RateLimits | null;
  /** Where the default figures come from (documentation). */
  readonly source: string;
}

/** What a call does when a shared resource (rate limit, concurrency pool) cannot admit it now. */
export type OnLimit = 'queue' | 'reject';

/**
 * A provider's limits as token buckets, one per limit R. Each refills at R per minute, so the
 * sustained rate is R as the provider's is, and holds at most max(1, `burst` × R) on top: what
 * goes through at once after an idle spell. A 60-second window admits at most R + that capacity.
 */
export interface RateLimits {
  /** Requests per minute; null = no request limit. */
  readonly requestsPerMinute: number | null;
  /** Input tokens per minute; null = no token limit. */
  readonly tokensPerMinute: number | null;
  /** Bucket capacity as a share of the per-minute limit, in (0, 1), at least 1 request or token. Default 1/60 (one second's worth). */
  readonly burst: number;
  /** `queue` (wait, the wait recorded on the span) or `reject` (an immediate 429 with retry-after). */
  readonly onLimit: OnLimit;
  /** Longest queue; a call arriving at a full queue gets a 429. null = unbounded. */
  readonly maxQueue: number | null;
}

/** A per-agent concurrency pool (e.g. a self-hosted model with 8 slots). */
export interface ConcurrencyPool {
  readonly slots: number;
  readonly onFull: OnLimit;
  /** Longest queue; beyond it a call gets a 429. null = unbounded. */
  readonly maxQueue: number | null;
  /** Replicas that scale like a HorizontalPodAutoscaler (`slots` is then the initial replicas' slots); absent for a fixed pool. */
  readonly autoscale?: AutoscalePolicy;
}

/** An autoscaled pool (`pool: { slotsPerReplica, replicas, … }`), run by harness/pipeline/autoscale/. */
export interface AutoscalePolicy {
  readonly slotsPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Replicas ready at the run's start. Default `minReplicas`. */
  readonly initialReplicas: number;
  /** Target utilisation of the replicas' slots, in (0, 1]. Default 0.7. */
  readonly targetUtilisation: number;
  /** Time between two scaling decisions, ms. Default 15 s (the HPA's). */
  readonly syncPeriodMs: number;
  /** From a replica's request to its readiness, ms. Default 0. */
  readonly coldStartMs: Distribution;
  /** Stabilisation windows, ms. Default up 0, down 300 s. */
  readonly scaleUpWindowMs: number;
  readonly scaleDownWindowMs: number;
  /** No change while utilisation ÷ target is within 1 ± this. Default 0.1. */
  readonly tolerance: number;
  /** USD per replica-hour (on-demand), billed from request to removal. Default 0. */
  readonly costPerReplicaHour: number;
  /** Spot (preemptible) replicas; null = none. */
  readonly spot: SpotPolicy | null;
}

/** Spot replicas of an autoscaled pool. */
export interface SpotPolicy {
  /** Share of the replicas that are spot, in (0, 1]. */
  readonly share: number;
  /** Reclaims per replica-hour of a ready spot replica (exponential times). */
  readonly reclaimPerHour: number;
  /** Warning before a reclaim, ms: the replica takes no new calls from then. Default 0. */
  readonly noticeMs: number;
  /** USD per spot replica-hour. Default the pool's `costPerReplicaHour`. */
  readonly costPerReplicaHour: number;
}

/** One phase of an open arrival model: the rate moves linearly from `fromPerSecond` to `toPerSecond`. */
export interface ArrivalPhase {
  readonly durationMs: number;
  readonly fromPerSecond: number;
  readonly toPerSecond: number;
}

/** How workflows arrive (`load:`). */
export type LoadModel =
  | {
      /** N workflows in flight; each next one starts when one finishes (after a think time). */
      readonly kind: 'closed';
      readonly concurrency: number;
      readonly thinkTimeMs: Distribution;
      /** Stop starting workflows after this long; null = run the cases (× repeat) once. */
      readonly durationMs: number | null;
      /** Time-series window; null = automatic (1 s). */
      readonly windowMs: number | null;
    }
  | {
      /** Arrivals on a schedule, whatever the system's state (k6's arrival-rate executors). */
      readonly kind: 'open';
      /** `constant`: evenly spaced; `poisson`: exponential gaps (a non-homogeneous Poisson process over the phases). */
      readonly process: 'constant' | 'poisson';
      readonly phases: readonly ArrivalPhase[];
      /** Cap on workflows in flight; null = none. */
      readonly maxInFlight: number | null;
      /** At the cap: `drop` the arrival (counted), or `queue` it until a workflow ends (its latency counts the wait). */
      readonly onFull: 'drop' | 'queue';
      readonly windowMs: number | null;
    };

/** How a call is retried. */
export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  readonly initialBackoffMs: number;
  readonly multiplier: number;
  readonly maxBackoffMs: number;
  /** Fraction of the backoff randomised: delay × (1 − jitter × u), u uniform in [0, 1). */
  readonly jitter: number;
  readonly retryOn: readonly ErrorType[];
  /** Wait at least the 429's retry-after before the next attempt. */
  readonly honourRetryAfter: boolean;
}

/** One agent of a scenario, with its model profile resolved. */
export interface CompiledAgent {
  readonly name: string;
  /** What the agent does, in words (`gen_ai.agent.description`). */
  readonly role: string;
  readonly model: ModelProfile;
  /** Tokens of the agent's own instructions, sent on every call. */
  readonly promptTokens: number;
  /** Output tokens of one call. */
  readonly outputTokens: Distribution;
  /**
   * Output-token cap of one attempt (`maxOutputTokens`): a longer answer stops there, and budgets
   * count it as the attempt's worst case. Default: the largest value `outputTokens` can take when
   * it is bounded (fixed, uniform, empirical), else null (no cap known).
   */
  readonly maxOutputTokens: number | null;
  readonly tools: readonly string[];
  /**
   * Findings domains the agent looks at (the part of a finding before `:`, e.g. `financial` in
   * `financial:revenue-concentration`). Empty (the default) = every domain.
   */
  readonly scope: readonly string[];
  /** Probability that one call is right, before context and tool degradation. */
  readonly skill: number;
  /** Probability of correcting a wrong input it was handed (0 = errors propagate). */
  readonly recovery: number;
  /** Share of calls whose prompt tokens are served from the provider's cache. */
  readonly cacheHitRate: number;
  /** Overrides the profile-based latency of an attempt with this distribution when set. */
  readonly latency: Distribution | null;
  /** Tool calls per agent call (each an `execute_tool` span). Default 1 when the agent has tools, else 0. */
  readonly toolCalls: Distribution;
  /** Duration of one tool call, milliseconds. Default lognormal p50 150 ms, p95 600 ms (an estimate). */
  readonly toolLatencyMs: Distribution;
  readonly faults: FaultRates;
  readonly retry: RetryPolicy;
  /** Per-attempt timeout, milliseconds. */
  readonly timeoutMs: number;
  /** The agent's own concurrency pool; null = unlimited. */
  readonly pool: ConcurrencyPool | null;
  /** Circuit breaker; null = none. */
  readonly breaker: BreakerPolicy | null;
  /** Where calls go while the breaker is open (and on failure, per `onFailure`); null = none. */
  readonly fallback: Fallback | null;
  /** The output contract (JSON Schema) and what a violation does; null = none. */
  readonly contract: OutputContract | null;
  /**
   * The agent has side effects, undone by calling `agent` when the workflow fails for good
   * (saga compensation, `harness/run/recovery/saga.ts`); null = no side effects (the default).
   */
  readonly compensation: { readonly agent: string } | null;
  /** A real agent's OpenAI-compatible endpoint (`harness/agents/http-agent.ts`); null = simulated (the default). */
  readonly endpoint: AgentEndpoint | null;
  /** Tool-level RBAC roles, trust level and injection behaviour (harness/scenario/trust-types.ts). */
  readonly access: AgentAccess;
  /** Case fields with a data class this agent receives unmasked (`needs:`); default none. */
  readonly needs: readonly string[];
  /**
   * The parts of the case's outcome the agent answers (`outputs:`), in `OUTPUT_KINDS` order; empty =
   * none (an intermediate step: extraction, validation). null (the default) = not declared: every
   * part the cases have. Checked against the merges of the patterns (harness/scenario/merge-checks.ts);
   * the simulated agent acts out the whole expected outcome whatever it declares.
   */
  readonly outputs: readonly OutputKind[] | null;
  /** Calls from different workflows grouped into one model call (`batch:`, harness/pipeline/batching/); absent = each call alone. */
  readonly batch?: BatchPolicy;
}

/** `batch:` of an agent: calls grouped into one model call (harness/pipeline/batching/). */
export interface BatchPolicy {
  /** The largest batch: sent as soon as this many items wait (≥ 1). */
  readonly size: number;
  /** Longest an item waits for the batch to fill, ms: the batch is sent when its first item has waited this long. */
  readonly waitMs: number;
  /** Accuracy each item loses per other item of its batch. Default 0. */
  readonly accuracyLoss: number;
  /** Failed items retry back into the batcher (`batch`) or each alone (`item`). Default batch. */
  readonly retry: 'batch' | 'item';
}

/** Where a real agent is reached: an OpenAI-compatible Chat Completions API. */
export interface AgentEndpoint {
  /** Base URL without a trailing `/`; requests go to `{baseUrl}/chat/completions`. */
  readonly baseUrl: string;
  /** Model id sent in each request. Default: the model profile's model id. */
  readonly model: string;
  /** Name of the environment variable holding the API key (never the key); null = no Authorization header. */
  readonly apiKeyEnv: string | null;
  /** Stream the answer (SSE), recording the time to first chunk. Default false. */
  readonly stream: boolean;
}

/** A circuit breaker's settings. */
export interface BreakerPolicy {
  /** Consecutive failed calls that open it. */
  readonly failures: number;
  /** Time open before a probe is let through. */
  readonly cooldownMs: number;
}

/** An agent's fallback: another agent, or a degraded result made without a model call. */
export type Fallback =
  | { readonly kind: 'agent'; readonly agent: string; readonly onFailure: boolean }
  | {
      readonly kind: 'result';
      readonly label?: string;
      readonly value?: number;
      readonly findings?: readonly string[];
      readonly onFailure: boolean;
    };

/** A step's output contract. */
export interface OutputContract {
  /** The JSON Schema, as written. */
  readonly schema: Readonly<Record<string, unknown>>;
  /** What a violation does: retry the attempt, or fail the step. */
  readonly onViolation: 'retry' | 'fail';
}

/** A token and/or cost limit. */
export interface BudgetLimit {
  readonly tokens: number | null;
  readonly costUsd: number | null;
}

/** Budgets of a scenario. */
export interface Budgets {
  readonly workflow: BudgetLimit | null;
  readonly run: BudgetLimit | null;
  /** Share of a budget at which the alert event fires. */
  readonly alertAt: number;
}

/** Ground truth for a case. Scorers read the fields they need. */
export interface Expected {
  readonly label?: string;
  readonly findings?: readonly string[];
  readonly value?: number;
}

/** One input with its expected outcome. */
export interface CaseSpec {
  readonly id: string;
  /** Size of the case's input (document, ticket) in tokens. */
  readonly inputTokens: number;
  /** Free-form input fields (text, metadata); carried into agent inputs. */
  readonly input: Readonly<Record<string, unknown>>;
  readonly expected: Expected;
}

/** Where cases come from. */
export type CaseSource =
  | { readonly kind: 'inline'; readonly items: readonly CaseSpec[] }
  | {
      readonly kind: 'generate';
      readonly count: number;
      /** Label → weight (normalised); empty when cases carry no label. */
      readonly labels: Readonly<Record<string, number>>;
      readonly inputTokens: Distribution;
      /** Expected findings drawn per case from a pool; null when cases carry none. */
      readonly findings: GeneratedFindings | null;
      /** Expected numeric value per case; null when cases carry none. */
      readonly value: Distribution | null;
      /**
       * Number of distinct inputs the cases are drawn from (recurring requests: the same ticket
       * text twice has the same truth); null = every case is distinct.
       */
      readonly distinct: number | null;
      /** Share of cases carrying a planted injected instruction (`input.injection: true`). Default 0. */
      readonly injections: number;
    };

/** How generated cases get their expected findings. */
export interface GeneratedFindings {
  /** Every finding that can occur, `domain:name`; sorted. */
  readonly pool: readonly string[];
  /** Probability that a case has each pool finding (independently). */
  readonly rate: number;
  /** Per-domain overrides of `rate` (domain = the part of a finding before `:`). */
  readonly domainRates: Readonly<Record<string, number>>;
}

/** How accuracy degrades with context use and tool count (DESIGN.md, simulation model). */
export interface AccuracyModel {
  /** Context utilisation (input tokens ÷ context window) above which accuracy drops. Default 0.7. */
  readonly contextThreshold: number;
  /** Relative drop above the threshold. Default 0.15 (the cited 12–18 %). */
  readonly contextPenalty: number;
  /** Tool count above which tool selection degrades. Default 20. */
  readonly toolThreshold: number;
  /** Multiplier above the tool threshold. Default 71/94 ≈ 0.755. */
  readonly toolFactor: number;
}

/** A custom scorer: judges the workflow's output against the case's expected outcome. */
export type CustomScoreFunction = (
  expected: Expected,
  output: { readonly label?: string; readonly findings?: readonly string[]; readonly value?: number },
) => { readonly correct: boolean; readonly score: number };

/** The workflow's scorer (`scoring:` in a scenario). */
export type ScorerSpec =
  /** Right when the output's label equals the expected one (trimmed, case-insensitive). */
  | { readonly kind: 'exact-label' }
  /** Findings: precision, recall and F1 against the expected set; right when F1 ≥ `passAt`. */
  | { readonly kind: 'set-overlap'; readonly passAt: number }
  /** Right when |value − expected| ≤ `tolerance` × |expected| (relative) — or ≤ `tolerance` when `absolute`. */
  | { readonly kind: 'numeric-tolerance'; readonly tolerance: number; readonly absolute: boolean }
  /** A TypeScript function, `export` of `module` (a path resolved against the scenario file), loaded when compiled. */
  | { readonly kind: 'custom'; readonly module: string; readonly export: string; readonly score: CustomScoreFunction };

/** A validated, defaulted and frozen scenario. */
export interface CompiledScenario {
  readonly name: string;
  readonly description: string;
  /** The file it was compiled from (as given). */
  readonly file: string;
  readonly seed: number;
  readonly agents: ReadonlyMap<string, CompiledAgent>;
  readonly cases: CaseSource;
  /** Every label an agent can answer with (from cases and the generator), sorted. */
  readonly labels: readonly string[];
  /** Every finding an agent can report (from cases and the generator's pool), sorted. */
  readonly findings: readonly string[];
  /** Pattern name → that pattern's compiled configuration (validated by the pattern's schema). */
  readonly patterns: ReadonlyMap<PatternName, unknown>;
  readonly accuracy: AccuracyModel;
  /** Network and serialisation overhead added to every agent call. */
  readonly hopOverheadMs: Distribution;
  /** How agents share state (`state:`, harness/pipeline/state/); absent when the scenario does not set it (today's central passing, no overhead). */
  readonly state?: CompiledState;
  readonly scorer: ScorerSpec;
  /** `base` for the scenario as written, else the name of the variant this is. */
  readonly variant: string;
  /** The scenario's variants (`variants:`), each compiled in full; empty on a variant itself. */
  readonly variants: ReadonlyMap<string, CompiledScenario>;
  /** Model profiles in force (built-ins merged with the scenario's overrides). */
  readonly models: ReadonlyMap<string, ModelProfile>;
  /** How workflows arrive. Default: closed, one at a time. */
  readonly load: LoadModel;
  /** Pass/fail checks on the run's results (`thresholds:`), as written, e.g. `p95(latency) < 20s`. */
  readonly thresholds: readonly string[];
  /** Share of arrivals a run must complete to be viable in the report's decision (`minSuccess:`, default 0.95). */
  readonly minSuccess: number;
  /** Token and cost budgets; null = none. */
  readonly budgets: Budgets | null;
  /** Longest a workflow may run, ms; null = no limit. */
  readonly workflowTimeoutMs: number | null;
  /** Tool-level RBAC and trust boundaries (`roles:`, `toolPolicy:`, `sanitise:`, `sanitiser:`). */
  readonly access: ScenarioAccess;
  /** Shared glossary and terminology drift (`glossary:`, `terminologyDrift:`). */
  readonly terminology: Terminology;
  /** Data classes of case fields, their regions and masking (`dataClasses:`, …); null = no classed fields. */
  readonly privacy: PrivacyPolicy | null;
  /** Write the hash-chained audit trail (`audit:`, default true). */
  readonly audit: boolean;
  /**
   * Doubtful settings that do not stop a run (e.g. a merge of agents with different roles),
   * located like issues; `validate` and `run` print them. On the scenario as written: those of
   * its variants too, each once; on a variant: its own.
   */
  readonly warnings: readonly ScenarioIssue[];
}

/** What a scenario says about its case data. */
export interface PrivacyPolicy {
  /** Case input field → data class. */
  readonly dataClasses: Readonly<Record<string, string>>;
  /** Data class → regions its values may be sent to; a class not listed may go anywhere. */
  readonly regions: Readonly<Record<string, readonly string[]>>;
  /** Mask at agent boundaries and in records (default true). */
  readonly masking: boolean;
}

import { deepFreeze, FrozenMap } from './freeze.ts';
import type { ModelProfile } from './types.ts';

/**
 * Built-in model profiles. Every figure and where it comes from is listed in
 * `harness/scenario/MODEL-PROFILES.md`; a scenario overrides any of them under `models:`.
 * Durations are milliseconds, prices US dollars per million tokens.
 */

/**
 * Built-in profiles schedule no outages or spikes and neither preempt nor garble: scenarios add
 * those. A provider error comes after the time to first token (`errorAfterMs` null).
 */
const NO_SCHEDULED_FAULTS = { errorAfterMs: null, outages: [], latencySpikes: [], preemption: 0, malformedOutput: 0 } as const;

/** A frontier-class LLM: Anthropic Claude Sonnet 4.5 on Anthropic's API. */
const frontier: ModelProfile = {
  name: 'frontier',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5-20250929',
  kind: 'llm',
  region: 'us',
  ttftMs: { kind: 'lognormal', p50: 1800, p95: 4000 },
  prefillTokensPerSecond: 8000,
  outputTokensPerSecond: { kind: 'lognormal', p50: 63, p95: 90 },
  pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 },
  contextWindow: 200_000,
  faults: { error: 0.005, timeout: 0.001, rateLimit: 0.005, retryAfterMs: { kind: 'lognormal', p50: 2000, p95: 10_000 }, ...NO_SCHEDULED_FAULTS },
  rateLimits: null,
  source:
    'Claude Sonnet 4.5: prices and context window from Anthropic pricing and model docs; TTFT and output speed medians from Artificial Analysis (Nov 2025); spreads, prefill and fault rates are engineering estimates. See harness/scenario/MODEL-PROFILES.md.',
};

/** A mid-tier LLM: OpenAI GPT-4.1 mini. */
const midTier: ModelProfile = {
  name: 'mid-tier',
  provider: 'openai',
  model: 'gpt-4.1-mini-2025-04-14',
  kind: 'llm',
  region: 'us',
  ttftMs: { kind: 'lognormal', p50: 930, p95: 2400 },
  prefillTokensPerSecond: 10_000,
  outputTokensPerSecond: { kind: 'lognormal', p50: 77, p95: 108 },
  pricing: { inputPerMTok: 0.4, outputPerMTok: 1.6, cachedInputPerMTok: 0.1 },
  contextWindow: 1_047_576,
  faults: { error: 0.004, timeout: 0.001, rateLimit: 0.005, retryAfterMs: { kind: 'lognormal', p50: 1000, p95: 6000 }, ...NO_SCHEDULED_FAULTS },
  rateLimits: null,
  source:
    'GPT-4.1 mini: prices and context window from OpenAI pricing and model docs; TTFT and output speed from Artificial Analysis provider benchmarks; spreads, prefill and fault rates are engineering estimates. See harness/scenario/MODEL-PROFILES.md.',
};

/** A small, fast LLM: OpenAI GPT-4.1 nano. */
const smallFast: ModelProfile = {
  name: 'small-fast',
  provider: 'openai',
  model: 'gpt-4.1-nano-2025-04-14',
  kind: 'llm',
  region: 'us',
  ttftMs: { kind: 'lognormal', p50: 450, p95: 1200 },
  prefillTokensPerSecond: 15_000,
  outputTokensPerSecond: { kind: 'lognormal', p50: 96, p95: 150 },
  pricing: { inputPerMTok: 0.1, outputPerMTok: 0.4, cachedInputPerMTok: 0.025 },
  contextWindow: 1_047_576,
  faults: { error: 0.004, timeout: 0.001, rateLimit: 0.005, retryAfterMs: { kind: 'lognormal', p50: 1000, p95: 6000 }, ...NO_SCHEDULED_FAULTS },
  rateLimits: null,
  source:
    'GPT-4.1 nano: prices and context window from the OpenAI model page; TTFT and output speed from published third-party measurements; spreads, prefill and fault rates are engineering estimates. See harness/scenario/MODEL-PROFILES.md.',
};

/** A BERT-class classifier served on one self-hosted GPU: tens of milliseconds, a tiny price. */
const bertClassifier: ModelProfile = {
  name: 'bert-classifier',
  provider: 'self-hosted',
  model: 'bert-base-uncased',
  kind: 'classifier',
  region: 'us-east-1',
  ttftMs: { kind: 'lognormal', p50: 15, p95: 40 },
  prefillTokensPerSecond: 100_000,
  outputTokensPerSecond: { kind: 'fixed', value: 1_000_000 },
  pricing: { inputPerMTok: 0.01, outputPerMTok: 0, cachedInputPerMTok: 0.01 },
  contextWindow: 512,
  faults: { error: 0.001, timeout: 0, rateLimit: 0, retryAfterMs: { kind: 'fixed', value: 1000 }, ...NO_SCHEDULED_FAULTS },
  rateLimits: null,
  source:
    'BERT-base: model compute from NVIDIA TensorRT BERT benchmarks, price derived from the AWS g5.xlarge on-demand rate; service latency, utilisation and fault rate are engineering estimates. See harness/scenario/MODEL-PROFILES.md.',
};

/** No model at all: deterministic rules. Free and about a millisecond. */
const ruleBased: ModelProfile = {
  name: 'rule-based',
  provider: 'none',
  model: 'rules',
  kind: 'rule',
  region: 'local',
  ttftMs: { kind: 'lognormal', p50: 1, p95: 3 },
  prefillTokensPerSecond: 0,
  outputTokensPerSecond: { kind: 'fixed', value: 1_000_000 },
  pricing: { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 },
  contextWindow: 1_000_000_000,
  faults: { error: 0, timeout: 0, rateLimit: 0, retryAfterMs: { kind: 'fixed', value: 0 }, ...NO_SCHEDULED_FAULTS },
  rateLimits: null,
  source: 'Engineering estimate: in-process rules cost nothing and take about a millisecond. See harness/scenario/MODEL-PROFILES.md.',
};

/**
 * The model profiles every scenario starts from, by name: `frontier`, `mid-tier`, `small-fast`,
 * `bert-classifier`, `rule-based`. Deep-frozen.
 */
export const BUILTIN_PROFILES: ReadonlyMap<string, ModelProfile> = deepFreeze(
  new FrozenMap([frontier, midTier, smallFast, bertClassifier, ruleBased].map((profile) => [profile.name, profile] as const)),
);

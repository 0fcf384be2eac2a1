import { z } from 'zod';
import type { PatternCatalog } from '../pattern-config.ts';
import { ERROR_TYPES, OUTPUT_KINDS, PATTERN_NAMES, type OutputKind, type PatternName } from '../types.ts';
import { countDistributionSchema, durationDistributionSchema, durationSchema } from './distributions.ts';
import { loadInputSchema, minSuccessInputSchema, poolInputSchema, rateLimitsInputSchema, thresholdsInputSchema } from './load.ts';
import {
  breakerInputSchema,
  budgetsInputSchema,
  fallbackInputSchema,
  onViolationInputSchema,
  outputSchemaInputSchema,
  workflowTimeoutInputSchema,
} from './reliability.ts';
import { compensationInputSchema } from './saga.ts';
import { batchInputSchema } from './batch.ts';
import { stateInputSchema } from './state.ts';
import { agentTrustInputShape, trustSectionSchemas, trustVariantShape } from './trust.ts';
import { endpointInputSchema } from './endpoint.ts';
import { agentPrivacyInputShape, privacySectionSchemas, privacyVariantShape } from './privacy.ts';

/** Most cases one scenario may generate (as `--cases`): more would exhaust memory before running. */
export const MAX_CASES = 1_000_000;

/**
 * Zod schemas of the scenario YAML, section by section (camelCase keys, strict objects so a
 * misspelt key is an error). The compiler parses each section on its own so one bad section does
 * not hide the issues of another; `scenarioInputSchema` assembles them for the JSON Schema.
 */

/** Scenario names: lowercase letters, digits and `-`, starting with a letter or digit. */
export const SCENARIO_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** Agent names: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export const AGENT_NAME = /^[a-z0-9][a-z0-9-_]*$/;
/** Model profile names: lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9-_.]*$/;

/** Scorers a scenario can choose (`scoring.scorer`). */
export const SCORER_NAMES = ['exact-label', 'set-overlap', 'numeric-tolerance', 'custom'] as const;

const probability = z.number().min(0).max(1);
const count = z.number().int().min(0);

/** `faults:` of an agent or model profile; each key optional (inherits). */
export const faultsInputSchema = z
  .strictObject({
    error: probability.optional().describe('Probability that an attempt fails with a provider error (5xx).'),
    errorAfter: durationDistributionSchema
      .optional()
      .describe(
        "When a provider error ends the attempt, after the hop overhead. Default: the agent's latency override if it has one, else the model profile's time to first token.",
      ),
    timeout: probability.optional().describe('Probability that an attempt hangs until its timeout fires.'),
    rateLimit: probability.optional().describe('Probability of an HTTP 429 rejection.'),
    retryAfter: durationDistributionSchema.optional().describe('Retry-after carried by a 429.'),
    outages: z
      .array(z.strictObject({ at: durationSchema.describe('Start, from the run\'s start.'), for: durationSchema.describe('Length.') }))
      .optional()
      .describe('Scheduled outages: attempts in these windows fail at once as unavailable (503).'),
    latencySpikes: z
      .array(z.strictObject({ at: durationSchema, for: durationSchema, factor: z.number().min(1).describe('Latency multiplier.') }))
      .optional()
      .describe('Windows in which attempts take factor × as long.'),
    preemption: probability.optional().describe('Probability that an attempt is preempted mid-call (spot capacity reclaimed).'),
    malformedOutput: probability.optional().describe("Probability that a successful attempt's output breaks the step's output schema."),
  })
  .meta({ id: 'Faults', description: 'Per-attempt fault rates; error + timeout + rateLimit must not exceed 1.' });

/** `retry:` of an agent; each key defaults to the value shown. */
export const retryInputSchema = z
  .strictObject({
    attempts: z.number().int().min(1).default(3).describe('Total attempts including the first. Default 3.'),
    initialBackoff: durationSchema.prefault('500ms').describe('Delay before the first retry. Default 500ms.'),
    multiplier: z.number().min(1).default(2).describe('Backoff growth per retry. Default 2.'),
    maxBackoff: durationSchema.prefault('10s').describe('Longest delay between attempts. Default 10s.'),
    jitter: probability.default(0.2).describe('Fraction of each delay randomised. Default 0.2.'),
    retryOn: z.array(z.enum(ERROR_TYPES)).default([...ERROR_TYPES]).describe('Error types retried. Default all.'),
    honourRetryAfter: z.boolean().default(true).describe("Wait at least a 429's retry-after. Default true."),
  })
  .superRefine((retry, ctx) => {
    if (retry.maxBackoff < retry.initialBackoff) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxBackoff'],
        message: `maxBackoff (${retry.maxBackoff}ms) must not be less than initialBackoff (${retry.initialBackoff}ms)`,
        input: retry.maxBackoff,
      });
    }
  })
  .meta({ id: 'Retry', description: 'How failed attempts are retried.' });

const outputKind = z.enum(OUTPUT_KINDS);

/** `outputs:` of an agent: one kind or a list of them (`[]` = none), compiled to a list in `OUTPUT_KINDS` order. */
export const outputsInputSchema = z
  .union([outputKind.transform((kind) => [kind]), z.array(outputKind)])
  .transform((kinds): OutputKind[] => OUTPUT_KINDS.filter((kind) => kinds.includes(kind)))
  .describe(
    "Parts of the case's outcome the agent answers: label, findings, value (one or a list); [] = none (an intermediate step: " +
      'extraction, validation). Agents whose answers a pattern merges (fan-out workers, supervisor subtasks) must declare the same. ' +
      'Default: every part the cases have. Simulated agents act out the whole outcome whatever it says.',
  );

/** One agent under `agents:`. */
export const agentInputSchema = z
  .strictObject({
    role: z.string().min(1).describe('What the agent does, in words.'),
    model: z.string().describe('A model profile: built-in (frontier, mid-tier, small-fast, bert-classifier, rule-based) or from `models:`.'),
    promptTokens: count.default(500).describe("Tokens of the agent's own instructions, sent on every call. Default 500."),
    outputTokens: countDistributionSchema.prefault(300).describe('Output tokens of one call. Default 300.'),
    maxOutputTokens: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "Output-token cap of one attempt (a request's max_tokens): longer answers stop there, and budgets count it as the attempt's worst case. Default: the largest value outputTokens can take when it has one (fixed, uniform, empirical), else none (budgets then count the input alone).",
      ),
    tools: z.array(z.string().min(1)).default([]).describe('Tools the agent can call. Default none.'),
    toolCalls: countDistributionSchema
      .optional()
      .describe('Tool calls per agent call, each to one of its tools. Default 1 when the agent has tools, else 0.'),
    toolLatency: durationDistributionSchema
      .prefault({ dist: 'lognormal', p50: '150ms', p95: '600ms' })
      .describe('Duration of one tool call. Default lognormal p50 150ms, p95 600ms.'),
    skill: probability.default(0.9).describe('Probability that one call is right. Default 0.9.'),
    recovery: probability.default(0).describe('Probability of correcting a wrong input. Default 0.'),
    cacheHitRate: probability.default(0).describe('Share of calls whose prompt is served from cache. Default 0.'),
    outputs: outputsInputSchema.optional(),
    latency: durationDistributionSchema.optional().describe('Overrides the profile-based latency of an attempt.'),
    faults: faultsInputSchema.prefault({}).describe("Merged over the model profile's fault rates."),
    retry: retryInputSchema.prefault({}),
    timeout: durationSchema.prefault('120s').describe('Per-attempt timeout. Default 120s.'),
    scope: z
      .array(z.string().min(1))
      .default([])
      .describe("Findings domains the agent looks at (the part of a finding before ':'). Default every domain."),
    pool: poolInputSchema.optional().describe('Concurrency pool of the agent (slots). Default unlimited.'),
    batch: batchInputSchema.optional().describe('Batching: calls from different workflows go out as one model call. Default none (each call alone).'),
    breaker: breakerInputSchema.optional().describe('Circuit breaker. Default none.'),
    fallback: fallbackInputSchema.optional().describe('Fallback while the breaker is open or when a call fails for good. Default none.'),
    outputSchema: outputSchemaInputSchema.optional(),
    onViolation: onViolationInputSchema.optional(),
    compensation: compensationInputSchema.optional(),
    endpoint: endpointInputSchema.optional(),
    ...agentTrustInputShape,
    ...agentPrivacyInputShape,
  })
  .meta({ id: 'Agent', description: 'An agent: its role, model profile and behaviour.' });

/** Prices of a model profile override; each key optional (inherits). */
const pricingInputSchema = z.strictObject({
  inputPerMTok: z.number().min(0).optional().describe('US dollars per million input tokens.'),
  outputPerMTok: z.number().min(0).optional().describe('US dollars per million output tokens.'),
  cachedInputPerMTok: z.number().min(0).optional().describe('US dollars per million cached input tokens.'),
});

/**
 * One entry under `models:`: overrides of a built-in profile (any subset of its fields, deep-merged),
 * or a new profile that names the profile it `extends`.
 */
export const modelInputSchema = z
  .strictObject({
    extends: z.string().optional().describe('Profile this one starts from. Required for a new profile.'),
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional().describe('Model id sent as gen_ai.request.model.'),
    kind: z.enum(['llm', 'classifier', 'rule']).optional(),
    region: z.string().min(1).optional(),
    ttft: durationDistributionSchema.optional().describe('Time to first token for a short prompt.'),
    prefillTokensPerSecond: z.number().min(0).optional().describe('Prompt processing speed; 0 = ignore.'),
    outputTokensPerSecond: countDistributionSchema.optional().describe('Output tokens per second while generating.'),
    pricing: pricingInputSchema.optional(),
    contextWindow: z.number().int().min(1).optional(),
    faults: faultsInputSchema.optional(),
    rateLimits: rateLimitsInputSchema.optional().describe('Provider rate limits (RPM/TPM token buckets). Default unlimited.'),
    source: z.string().optional().describe('Where the figures come from.'),
  })
  .meta({ id: 'ModelProfile', description: 'A model profile override, or a new profile that extends another.' });

const expectedInputSchema = z
  .strictObject({
    label: z.string().min(1).optional(),
    findings: z.array(z.string().min(1)).optional(),
    value: z.number().optional(),
  })
  .superRefine((expected, ctx) => {
    if (expected.label === undefined && expected.findings === undefined && expected.value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must give at least one of label, findings or value', input: expected });
    }
  })
  .meta({ anyOf: [{ required: ['label'] }, { required: ['findings'] }, { required: ['value'] }] })
  .describe('Ground truth: label, findings and/or value.');

/** One case under `cases.inline`. */
export const caseInputSchema = z
  .strictObject({
  id: z.string().min(1).optional().describe('Unique id. Default case-<position>.'),
  inputTokens: count.default(1000).describe('Size of the input in tokens. Default 1000.'),
  input: z.record(z.string(), z.unknown()).default({}).describe('Free-form input fields.'),
    expected: expectedInputSchema,
  })
  .meta({ id: 'Case', description: 'One input with its expected outcome.' });

/** A finding: `domain:name`, e.g. `financial:revenue-concentration`. */
export const FINDING = /^[a-z0-9][a-z0-9-_]*:[a-z0-9][a-z0-9-_]*$/;

/** `cases.generate.findings`: expected findings drawn per case from a pool. */
export const generateFindingsInputSchema = z
  .strictObject({
    pool: z
      .array(z.string().regex(FINDING, { error: (issue) => `a finding is 'domain:name' (lowercase), got ${JSON.stringify(issue.input)}` }))
      .min(1)
      .describe('Every finding that can occur, as domain:name.'),
    rate: probability.default(0.3).describe('Probability that a case has each pool finding. Default 0.3.'),
    domainRates: z.record(z.string().min(1), probability).default({}).describe('Per-domain overrides of rate. Default none.'),
  })
  .meta({ id: 'GeneratedFindings', description: 'Expected findings of generated cases.' });

/** `cases.generate`: synthetic cases. */
export const generateInputSchema = z
  .strictObject({
    count: z.number().int().min(1).max(MAX_CASES).describe(`How many cases (at most ${MAX_CASES.toLocaleString('en-US')}).`),
    labels: z
      .record(z.string().min(1), z.number().gt(0))
      .refine((labels) => Object.keys(labels).length > 0, 'must list at least one label with its weight')
      .meta({ minProperties: 1 })
      .optional()
      .describe('Label → weight (> 0, normalised).'),
    inputTokens: countDistributionSchema.prefault(1000).describe('Input size in tokens. Default 1000.'),
    findings: generateFindingsInputSchema.optional(),
    value: countDistributionSchema.optional().describe('Expected numeric value of each case (an amount, a size).'),
    distinct: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Draw cases from this many distinct inputs (recurring requests share text and truth). Default: all distinct.'),
    injections: probability.default(0).describe('Share of cases carrying a planted injected instruction (input.injection: true). Default 0.'),
  })
  .superRefine((generate, ctx) => {
    if (generate.labels === undefined && generate.findings === undefined && generate.value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must give at least one of labels, findings or value', input: generate });
    }
  });

/** `cases:` — exactly one of `inline` or `generate` (the compiler checks which). */
export const casesInputSchema = z
  .strictObject({
    inline: z.array(caseInputSchema).min(1).optional(),
    generate: generateInputSchema.optional(),
  })
  .meta({ oneOf: [{ required: ['inline'] }, { required: ['generate'] }] })
  .describe('Where cases come from: exactly one of inline or generate.');

/** `accuracy:` — how accuracy degrades with context use and tool count. */
export const accuracyInputSchema = z.strictObject({
  contextThreshold: probability.default(0.7).describe('Context utilisation above which accuracy drops. Default 0.7.'),
  contextPenalty: probability.default(0.15).describe('Relative drop above the threshold. Default 0.15.'),
  toolThreshold: count.default(20).describe('Tool count above which tool selection degrades. Default 20.'),
  toolFactor: probability.default(0.755).describe('Multiplier above the tool threshold. Default 0.755.'),
});

/** `network:` — overhead added to every agent call. */
export const networkInputSchema = z.strictObject({
  hopOverhead: durationDistributionSchema.prefault(0).describe('Network and serialisation overhead per call. Default 0.'),
});

/** `scoring:` — how a workflow's output is judged. */
export const scoringInputSchema = z
  .strictObject({
    scorer: z
      .enum(SCORER_NAMES)
      .default('exact-label')
      .describe('exact-label (default), set-overlap (findings: precision, recall, F1), numeric-tolerance, or custom.'),
    passAt: probability.optional().describe('set-overlap: F1 at which a workflow counts as right. Default 0.8.'),
    tolerance: z.number().min(0).optional().describe('numeric-tolerance: allowed error, relative unless absolute. Default 0.01.'),
    absolute: z.boolean().optional().describe('numeric-tolerance: tolerance in the value\'s units. Default false.'),
    module: z.string().min(1).optional().describe('custom: TypeScript or JavaScript module, relative to the scenario file.'),
    export: z.string().min(1).optional().describe("custom: the module's exported scorer function. Default 'score'."),
  })
  .superRefine((scoring, ctx) => {
    const only: Record<string, readonly string[]> = {
      passAt: ['set-overlap'],
      tolerance: ['numeric-tolerance'],
      absolute: ['numeric-tolerance'],
      module: ['custom'],
      export: ['custom'],
    };
    for (const [key, scorers] of Object.entries(only)) {
      if ((scoring as Record<string, unknown>)[key] !== undefined && !scorers.includes(scoring.scorer)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `only applies to scorer ${scorers.join(', ')} (scorer is ${scoring.scorer})`, input: key });
      }
    }
    if (scoring.scorer === 'custom' && scoring.module === undefined) {
      ctx.addIssue({ code: 'custom', path: ['module'], message: "scorer 'custom' needs module: the path of a TypeScript file exporting the scorer", input: scoring });
    }
  });

/** Longest scenario name: it names files, runs and rows. */
export const MAX_SCENARIO_NAME = 100;

/**
 * Top-level sections the compiler parses one by one. `agents`, `models` and `patterns` are maps
 * whose entries the compiler validates individually (see `scenarioInputSchema` for their shape).
 */
export const scenarioSectionSchemas = {
  name: z
    .string()
    .max(MAX_SCENARIO_NAME, { error: `must be at most ${MAX_SCENARIO_NAME} characters`, abort: true })
    .regex(SCENARIO_NAME, {
      error: (issue) => `must be lowercase letters, digits and '-', starting with a letter or digit, got ${JSON.stringify(issue.input)}`,
    }),
  description: z.string().default(''),
  seed: z.number().int().min(0).default(1).describe('Seed of every random stream. Default 1.'),
  models: z.record(z.string(), z.unknown()).default({}),
  agents: z.record(z.string(), z.unknown()),
  cases: casesInputSchema,
  labels: z.array(z.string().min(1)).default([]).describe('Extra labels agents may answer with.'),
  patterns: z.record(z.string(), z.unknown()),
  accuracy: accuracyInputSchema.prefault({}),
  network: networkInputSchema.prefault({}),
  scoring: scoringInputSchema.prefault({}),
  load: loadInputSchema.prefault({}),
  thresholds: thresholdsInputSchema,
  minSuccess: minSuccessInputSchema,
  budgets: budgetsInputSchema.optional(),
  workflowTimeout: workflowTimeoutInputSchema.optional(),
  state: stateInputSchema.optional(),
  ...trustSectionSchemas,
  ...privacySectionSchemas,
  variants: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Named variants: overrides of this scenario's settings, each run as a variant of its own."),
} as const;

/** Names of the top-level keys a scenario may have. */
export type ScenarioSection = keyof typeof scenarioSectionSchemas;

/** Top-level keys, in documentation order. */
export const SCENARIO_SECTIONS = Object.keys(scenarioSectionSchemas) as ScenarioSection[];

/**
 * The whole scenario file as one schema (for the JSON Schema): sections plus the shape of every
 * agent, model and pattern entry. Patterns not implemented yet are listed but accept nothing.
 */
export function scenarioInputSchema(patterns: PatternCatalog) {
  const patternShape: Record<string, z.ZodType> = {};
  for (const name of PATTERN_NAMES) {
    const definition = patterns.get(name);
    patternShape[name] = definition
      ? definition.configSchema.optional()
      : z.never().optional().describe(`Pattern '${name}' is not implemented yet.`);
  }
  return z
    .strictObject({
      ...scenarioSectionSchemas,
      models: z.record(z.string().regex(MODEL_NAME), modelInputSchema).optional(),
      agents: z.record(z.string().regex(AGENT_NAME), agentInputSchema).meta({ minProperties: 1 }),
      patterns: z.strictObject(patternShape).meta({ minProperties: 1 }).describe('Patterns to compare, each with its configuration.'),
      variants: z
        .record(
          z.string().regex(AGENT_NAME),
          z
            .strictObject({
              description: z.string().optional(),
              models: z.record(z.string().regex(MODEL_NAME), modelInputSchema.partial()).optional(),
              agents: z.record(z.string().regex(AGENT_NAME), agentInputSchema.partial().nullable()).optional(),
              cases: z.unknown().optional(),
              labels: z.array(z.string().min(1)).optional(),
              patterns: z.record(z.string(), z.unknown()).optional(),
              accuracy: z.unknown().optional(),
              network: z.unknown().optional(),
              scoring: z.unknown().optional(),
              load: z.unknown().optional(),
              thresholds: z.array(z.string()).optional(),
              minSuccess: z.unknown().optional(),
              budgets: z.unknown().optional(),
              workflowTimeout: z.unknown().optional(),
              state: z.unknown().optional(),
              ...trustVariantShape,
              ...privacyVariantShape,
            })
            .describe('Overrides of the scenario: maps merge key by key, other values replace, null removes a key.'),
        )
        .optional()
        .describe('Named variants, each run as its own cell of the matrix (scenario × pattern × variant × seed).'),
    })
    .describe('A patternbench scenario: agents, cases and the orchestration patterns to compare.');
}

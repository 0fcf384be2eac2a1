import type { z } from 'zod';
import type { Distribution } from '../kernel/distribution-types.ts';
import { distributionProblem, distributionQuantile } from '../kernel/distributions.ts';
import { BUILTIN_PROFILES } from './model-profiles.ts';
import { namesHint, type IssueCollector } from './issues.ts';
import type { PathSegment } from './positions.ts';
import { AGENT_NAME, agentInputSchema, faultsInputSchema, MODEL_NAME, modelInputSchema } from './schema/scenario.ts';
import { compilePool, compileRateLimits } from './compile-load.ts';
import { compileBatch } from './compile-batch.ts';
import { compileAgentReliability } from './compile-reliability.ts';
import { compileCompensation } from './compile-saga.ts';
import { compileEndpoint } from './schema/endpoint.ts';
import { compileAgentAccess } from './compile-trust.ts';
import type { CompiledAgent, FaultRates, ModelProfile } from './types.ts';

type ModelInput = z.output<typeof modelInputSchema>;
type FaultsInput = z.output<typeof faultsInputSchema>;

/** Model profiles in force, plus every name a scenario defines (even one that failed to compile). */
export interface CompiledModels {
  readonly profiles: ReadonlyMap<string, ModelProfile>;
  readonly names: ReadonlySet<string>;
}

/**
 * Merges the scenario's `models:` over the built-in profiles. An entry naming a built-in overrides
 * any subset of its fields (deep-merged); a new name must say which profile it `extends`.
 */
export function compileModels(raw: Readonly<Record<string, unknown>>, issues: IssueCollector): CompiledModels {
  const inputs = new Map<string, ModelInput>();
  for (const [name, value] of Object.entries(raw)) {
    if (!MODEL_NAME.test(name)) {
      issues.add(['models', name], `model profile name '${name}' must be lowercase letters, digits, '-', '_' and '.', starting with a letter or digit`, 'key');
    }
    const input = issues.parse(modelInputSchema, value ?? {}, ['models', name]);
    if (input) inputs.set(name, input);
  }

  const profiles = new Map(BUILTIN_PROFILES);
  const names = new Set([...BUILTIN_PROFILES.keys(), ...Object.keys(raw)]);
  const resolving: string[] = [];
  const failed = new Set<string>();
  const done = new Set<string>();

  const resolve = (name: string): ModelProfile | undefined => {
    const input = inputs.get(name);
    if (input === undefined || done.has(name)) return profiles.get(name);
    if (failed.has(name)) return undefined;
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name].join(' → ');
      issues.add(['models', name, 'extends'], `model profiles extend each other in a cycle: ${cycle}`);
      failed.add(name);
      return undefined;
    }
    resolving.push(name);
    const base = baseProfile(name, input, resolve, names, issues);
    resolving.pop();
    if (base === undefined) {
      failed.add(name);
      return undefined;
    }
    const profile = mergeProfile(name, base, input, issues);
    checkFaultSum(profile.faults, ['models', name, ...(input.faults ? ['faults'] : [])], issues);
    profiles.set(name, profile);
    done.add(name);
    return profile;
  };
  for (const name of inputs.keys()) resolve(name);
  for (const name of failed) profiles.delete(name);
  return { profiles, names };
}

function baseProfile(
  name: string,
  input: ModelInput,
  resolve: (name: string) => ModelProfile | undefined,
  names: ReadonlySet<string>,
  issues: IssueCollector,
): ModelProfile | undefined {
  const parent = input.extends;
  if (parent === undefined) {
    const builtin = BUILTIN_PROFILES.get(name);
    if (builtin === undefined) {
      issues.add(
        ['models', name],
        `new model profile '${name}' must say which profile it extends, e.g. 'extends: mid-tier' (built-in: ${[...BUILTIN_PROFILES.keys()].join(', ')})`,
        'key',
      );
    }
    return builtin;
  }
  if (parent === name) {
    const builtin = BUILTIN_PROFILES.get(name);
    if (builtin === undefined) issues.add(['models', name, 'extends'], `model profile '${name}' cannot extend itself`);
    return builtin;
  }
  if (!names.has(parent)) {
    issues.add(['models', name, 'extends'], `unknown model profile '${parent}'${namesHint(parent, [...names].filter((n) => n !== name))}`);
    return undefined;
  }
  return resolve(parent);
}

function mergeProfile(name: string, base: ModelProfile, input: ModelInput, issues: IssueCollector): ModelProfile {
  return {
    name,
    provider: input.provider ?? base.provider,
    model: input.model ?? base.model,
    kind: input.kind ?? base.kind,
    region: input.region ?? base.region,
    ttftMs: input.ttft ?? base.ttftMs,
    prefillTokensPerSecond: input.prefillTokensPerSecond ?? base.prefillTokensPerSecond,
    outputTokensPerSecond: input.outputTokensPerSecond ?? base.outputTokensPerSecond,
    pricing: {
      inputPerMTok: input.pricing?.inputPerMTok ?? base.pricing.inputPerMTok,
      outputPerMTok: input.pricing?.outputPerMTok ?? base.pricing.outputPerMTok,
      cachedInputPerMTok: input.pricing?.cachedInputPerMTok ?? base.pricing.cachedInputPerMTok,
    },
    contextWindow: input.contextWindow ?? base.contextWindow,
    faults: mergeFaults(base.faults, input.faults),
    rateLimits: input.rateLimits === undefined ? base.rateLimits : compileRateLimits(input.rateLimits, ['models', name, 'rateLimits'], issues),
    source: input.source ?? (name === base.name ? base.source : `extends '${base.name}': ${base.source}`),
  };
}

function mergeFaults(base: FaultRates, input: FaultsInput | undefined): FaultRates {
  return {
    error: input?.error ?? base.error,
    errorAfterMs: input?.errorAfter ?? base.errorAfterMs,
    timeout: input?.timeout ?? base.timeout,
    rateLimit: input?.rateLimit ?? base.rateLimit,
    retryAfterMs: input?.retryAfter ?? base.retryAfterMs,
    outages: input?.outages?.map((w) => ({ atMs: w.at, forMs: w.for })) ?? base.outages,
    latencySpikes: input?.latencySpikes?.map((w) => ({ atMs: w.at, forMs: w.for, factor: w.factor })) ?? base.latencySpikes,
    preemption: input?.preemption ?? base.preemption,
    malformedOutput: input?.malformedOutput ?? base.malformedOutput,
  };
}

function checkFaultSum(faults: FaultRates, path: readonly PathSegment[], issues: IssueCollector): void {
  const sum = faults.error + faults.timeout + faults.rateLimit;
  if (sum > 1 + 1e-12) {
    issues.add(
      path,
      `fault rates add up to ${round(sum)} (error ${faults.error} + timeout ${faults.timeout} + rateLimit ${faults.rateLimit}); they must add up to at most 1`,
    );
  }
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/**
 * Compiles `agents:`: validates each agent, resolves its model profile and merges its faults over
 * the profile's. Returns the agents that compiled (the caller throws if any issue was recorded).
 */
export function compileAgents(
  raw: Readonly<Record<string, unknown>>,
  models: CompiledModels,
  issues: IssueCollector,
): Map<string, CompiledAgent> {
  const agents = new Map<string, CompiledAgent>();
  if (Object.keys(raw).length === 0) issues.add(['agents'], 'must define at least one agent');
  for (const [name, value] of Object.entries(raw)) {
    if (!AGENT_NAME.test(name)) {
      issues.add(['agents', name], `agent name '${name}' must be lowercase letters, digits, '-' and '_', starting with a letter or digit`, 'key');
    }
    const modelName = field(value, 'model');
    if (typeof modelName === 'string' && !models.names.has(modelName)) {
      issues.add(['agents', name, 'model'], `unknown model profile '${modelName}'${namesHint(modelName, [...models.names])}`);
    }
    const input = issues.parse(agentInputSchema, value, ['agents', name]);
    const model = models.profiles.get(input?.model ?? String(modelName));
    // Checked even when another field of the agent is wrong, so both are reported at once.
    const faultsInput = input?.faults ?? faultsInputSchema.safeParse(field(value, 'faults') ?? {}).data;
    const merged = model && faultsInput ? mergeFaults(model.faults, faultsInput) : undefined;
    // An agent's own settings beat its profile's: its latency override also times its errors.
    const faults = merged && { ...merged, errorAfterMs: faultsInput?.errorAfter ?? input?.latency ?? merged.errorAfterMs };
    if (faults) checkFaultSum(faults, ['agents', name, 'faults'], issues);
    if (!input || !model || !faults) continue;
    const endpoint = compileEndpoint(name, input.endpoint, model, issues);
    agents.set(name, {
      name,
      role: input.role,
      // A real agent's requests name the endpoint's model: its chat spans say so too.
      model: endpoint === null || endpoint.model === model.model ? model : { ...model, model: endpoint.model },
      promptTokens: input.promptTokens,
      outputTokens: input.outputTokens,
      maxOutputTokens: input.maxOutputTokens ?? boundedMaximum(input.outputTokens),
      tools: input.tools,
      toolCalls: input.toolCalls ?? { kind: 'fixed', value: input.tools.length > 0 ? 1 : 0 },
      toolLatencyMs: input.toolLatency,
      scope: input.scope,
      skill: input.skill,
      recovery: input.recovery,
      cacheHitRate: input.cacheHitRate,
      latency: input.latency ?? null,
      faults,
      retry: {
        attempts: input.retry.attempts,
        initialBackoffMs: input.retry.initialBackoff,
        multiplier: input.retry.multiplier,
        maxBackoffMs: input.retry.maxBackoff,
        jitter: input.retry.jitter,
        retryOn: input.retry.retryOn,
        honourRetryAfter: input.retry.honourRetryAfter,
      },
      timeoutMs: input.timeout,
      pool: compilePool(input.pool),
      ...compileAgentReliability(name, input, Object.keys(raw), issues),
      compensation: compileCompensation(name, input.compensation, Object.keys(raw), issues),
      needs: input.needs,
      endpoint,
      access: compileAgentAccess(input),
      outputs: input.outputs ?? null,
      ...compileBatch(name, input, issues),
    });
  }
  return agents;
}

/** The largest token count `d` can produce (as an agent rounds it, at least 1); null when unbounded. */
function boundedMaximum(d: Distribution): number | null {
  if (distributionProblem(d) !== undefined) return null; // reported where the distribution is checked
  const top = distributionQuantile(d, 1);
  return Number.isFinite(top) ? Math.max(1, Math.round(top)) : null;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

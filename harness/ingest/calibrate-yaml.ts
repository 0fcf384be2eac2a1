import { Document } from 'yaml';
import type { FittedDistribution, FittedProfile } from './calibrate.ts';

/** Options of `calibrationYaml`. */
export interface CalibrationYamlOptions {
  /** Where the attempts came from (named in the header comment). */
  readonly source: string;
  /** Write empirical distributions instead of lognormal ones (`--empirical`); default false. */
  readonly empirical?: boolean;
}

type Dist = Record<string, unknown>;

/**
 * The fitted profiles as YAML in the scenario's shapes, to paste into (or merge with) a scenario:
 * - `models.<request model>`: `provider`, `model`, `ttft` and `outputTokensPerSecond`, for models
 *   whose attempts carry a time to first token (fitted over all agents using the model);
 * - `agents.<agent>`: `outputTokens`, `latency` (when the model has no `ttft` fit) and `faults`
 *   (`error`, `timeout`, `rateLimit`); an agent seen on several models is keyed `<agent>@<model>`,
 *   attempts naming no agent are keyed by their model;
 * - `calibration.<agent>`: what the fit saw (provider, model, attempts, input tokens) — not a
 *   scenario key. Durations are milliseconds.
 */
export function calibrationYaml(agents: readonly FittedProfile[], models: readonly FittedProfile[], options: CalibrationYamlOptions): string {
  const dist = (fit: FittedDistribution | null): Dist | undefined => (fit === null ? undefined : distribution(fit, options.empirical === true));
  const modelSection: Record<string, unknown> = {};
  for (const model of models) {
    if (model.ttftMs === null) continue;
    modelSection[model.model] = {
      provider: model.provider,
      model: model.model,
      ttft: dist(model.ttftMs),
      outputTokensPerSecond: dist(model.outputTokensPerSecond),
    };
  }
  const streamed = new Set(Object.keys(modelSection));
  const agentSection: Record<string, unknown> = {};
  const calibration: Record<string, unknown> = {};
  for (const profile of agents) {
    const key = agentKey(profile, agents);
    agentSection[key] = {
      outputTokens: dist(profile.outputTokens),
      ...(streamed.has(profile.model) ? {} : { latency: dist(profile.latencyMs) }),
      faults: { error: rate(profile.faults.error), timeout: rate(profile.faults.timeout), rateLimit: rate(profile.faults.rateLimit) },
    };
    calibration[key] = {
      provider: profile.provider,
      model: profile.model,
      attempts: profile.attempts,
      successes: profile.successes,
      inputTokens: profile.inputTokens === null ? null : { p50: round(profile.inputTokens.p50), p95: round(profile.inputTokens.p95) },
    };
  }
  const document = new Document({
    ...(Object.keys(modelSection).length > 0 ? { models: modelSection } : {}),
    agents: agentSection,
    calibration,
  });
  const attempts = agents.reduce((sum, profile) => sum + profile.attempts, 0);
  document.commentBefore =
    ` Fitted by patternbench calibrate from ${options.source}: ${attempts} model attempts.\n` +
    ' Paste models.* into the scenario\'s models: and agents.* into its agents (durations in ms);\n' +
    ' calibration: records what the fit saw and is not a scenario key.';
  return document.toString({ flowCollectionPadding: true, lineWidth: 0 });
}

function distribution(fit: FittedDistribution, empirical: boolean): Dist {
  if (empirical) return { dist: 'empirical', values: fit.values.map(round) };
  const p50 = round(fit.p50);
  const p95 = round(fit.p95);
  // A lognormal needs 0 < p50 < p95; constant (or zero) samples are fixed.
  if (!(p50 > 0 && p95 > p50)) return { dist: 'fixed', value: p50 };
  return { dist: 'lognormal', p50, p95 };
}

function agentKey(profile: FittedProfile, all: readonly FittedProfile[]): string {
  if (profile.agent === '') return profile.model;
  return all.filter((other) => other.agent === profile.agent).length > 1 ? `${profile.agent}@${profile.model}` : profile.agent;
}

/** Six significant digits: enough for any fit, short in the file. */
function round(value: number): number {
  return Number(value.toPrecision(6));
}

function rate(value: number): number {
  return Number(value.toFixed(6));
}

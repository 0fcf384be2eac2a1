/**
 * Which workflows a threshold names, for tail trace retention (harness/run/trace-retention.ts):
 * a threshold on a quantity every workflow has on its own names each workflow whose own value is
 * on the failing side of its limit. `p95(latency) < 20s` names every workflow of 20 s or more;
 * `max(service) <= 5s` every one over 5 s; `cost_per_workflow < $0.05` every one costing $0.05 or
 * more; `tokens_per_workflow` and `retries_per_workflow` (model attempts − agent calls) likewise.
 * Rates, `cost_per_correct`, `throughput` and `queue_wait` are properties of a run (or of a call),
 * not of one workflow: they name none (a failed workflow is kept anyway). A threshold scoped to a
 * pattern names workflows of that pattern's runs only.
 */
import type { WorkflowRecord } from '../kernel/records.ts';
import { parseThreshold, type ThresholdOp, type ThresholdSpec } from '../scenario/thresholds.ts';
import type { PatternName } from '../scenario/types.ts';

/** True when a threshold names the workflow of this row. */
export type WorkflowNaming = (workflow: WorkflowRecord) => boolean;

/** True when `value` fails `op limit`. */
function fails(value: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '<':
      return !(value < limit);
    case '<=':
      return !(value <= limit);
    case '>':
      return !(value > limit);
    case '>=':
      return !(value >= limit);
  }
}

/** The workflow's own value of the threshold's metric; null when the metric is not one a workflow has alone. */
function ownValue(spec: ThresholdSpec): ((workflow: WorkflowRecord) => number) | null {
  const metric = spec.metric;
  if (metric.kind !== 'scalar') {
    if (metric.quantity === 'latency') return (workflow) => workflow.latencyMs;
    if (metric.quantity === 'service') return (workflow) => workflow.serviceMs;
    return null;
  }
  switch (metric.name) {
    case 'cost_per_workflow':
      return (workflow) => workflow.costUsd;
    case 'tokens_per_workflow':
      return (workflow) => workflow.inputTokens + workflow.outputTokens;
    case 'retries_per_workflow':
      return (workflow) => workflow.modelAttempts - workflow.agentCalls;
    default:
      return null;
  }
}

/**
 * The namings of `scenario` thresholds (as written; one that does not parse names nothing — the
 * scenario compiler reports it) and `extra` ones (`--threshold`) that apply to runs of `pattern`.
 */
export function thresholdNamings(scenario: readonly string[], extra: readonly ThresholdSpec[], pattern: PatternName): WorkflowNaming[] {
  const specs = [...scenario.flatMap((text) => {
    const parsed = parseThreshold(text);
    return parsed.ok ? [parsed.threshold] : [];
  }), ...extra];
  const namings: WorkflowNaming[] = [];
  for (const spec of specs) {
    if (spec.pattern !== null && spec.pattern !== pattern) continue;
    const value = ownValue(spec);
    if (value === null) continue;
    const { op, limit } = spec;
    namings.push((workflow) => fails(value(workflow), op, limit));
  }
  return namings;
}

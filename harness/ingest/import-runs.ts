/**
 * Traces read from OTLP files, grouped into runs: spans of a resource carrying
 * `patternbench.run_id` form that run (as `run --otlp` exports them); other spans form one run per
 * `service.name`, `<service>/import`. Times become milliseconds since the run's epoch (the whole
 * millisecond at or before its first span). Each trace is one workflow, numbered in order of start.
 * Attributes under the names of earlier releases are read as today's (`import-legacy.ts`); the
 * spans of other services get the GenAI attributes their conventions and their tree imply
 * (`import-agents.ts`), and their spans are stored trace by trace. Message content is dropped
 * unless kept (`import-content.ts`).
 */
import { HarnessError } from '../kernel/errors.ts';
import { groupBy } from '../kernel/keyed.ts';
import type { ParsedSpan } from './import-otlp.ts';
import { LEGACY_COST, withCurrentGenAiNames } from './import-legacy.ts';
import { workflowOfTrace } from './import-workflows.ts';
import { foreignTrace } from './import-agents.ts';
import { withContentPolicy, type ContentPolicy } from './import-content.ts';
import { builtinPrices, type PriceList } from './import-prices.ts';
import { withOpenInferenceAliases } from '../../reports/store/openinference.ts';
import type { Attributes, RunRecord, SpanRecord, WorkflowRecord } from '../kernel/records.ts';

/** How traces are read. */
export interface ImportOptions {
  /** Prices for model attempts of other services that carry tokens but no cost; default the built-in profiles' (`import-prices.ts`). */
  readonly prices?: PriceList;
  /** What becomes of message content; default dropped (`import-content.ts`). */
  readonly content?: ContentPolicy;
}

/** One imported run, ready to write. */
export interface ImportedRun {
  readonly run: RunRecord;
  readonly spans: readonly SpanRecord[];
  readonly workflows: readonly WorkflowRecord[];
  readonly virtualEndMs: number;
}

const NANOS_PER_MS = 1_000_000n;

/** Groups `spans` into runs; `TRACE_INVALID` when a (trace, span) pair occurs twice. */
export function importedRuns(spans: readonly ParsedSpan[], options: ImportOptions = {}): ImportedRun[] {
  const seen = new Set<string>();
  const byRun = new Map<string, ParsedSpan[]>();
  for (const span of spans) {
    const id = `${span.traceId}/${span.spanId}`;
    if (seen.has(id)) throw new HarnessError('TRACE_INVALID', `span ${span.spanId} of trace ${span.traceId} occurs twice in the input`);
    seen.add(id);
    const runId = runIdOf(span.resource);
    const list = byRun.get(runId);
    if (list === undefined) byRun.set(runId, [span]);
    else list.push(span);
  }
  const prices = options.prices ?? builtinPrices();
  const content = options.content ?? { keep: false };
  return [...byRun].map(([runId, list]) => importedRun(runId, list, prices, content));
}

function runIdOf(resource: Attributes): string {
  const runId = resource['patternbench.run_id'];
  if (typeof runId === 'string' && runId !== '') return runId;
  return `${String(resource['service.name'] ?? 'unknown_service')}/import`;
}

function importedRun(runId: string, parsed: readonly ParsedSpan[], prices: PriceList, content: ContentPolicy): ImportedRun {
  const resource = (parsed[0] as ParsedSpan).resource;
  const patternbench = typeof resource['patternbench.run_id'] === 'string';
  let first = (parsed[0] as ParsedSpan).startNs;
  for (const span of parsed) if (span.startNs < first) first = span.startNs;
  const epochNs = (first / NANOS_PER_MS) * NANOS_PER_MS;
  const msOf = (ns: bigint): number => {
    const offset = ns - epochNs;
    return Number(offset / NANOS_PER_MS) + Number(offset % NANOS_PER_MS) / 1e6;
  };

  // A trace's root: its span without a parent (else its earliest span). Workflows go by root start.
  const traces = groupBy(parsed, (span) => span.traceId);
  const roots = [...traces.values()].map((list) => list.find((span) => span.parentSpanId === '') ?? earliest(list));
  roots.sort(compareRoots);
  const workflowOf = new Map(roots.map((root, index) => [root.traceId, index]));

  const read = parsed.map((span): SpanRecord => ({
    runId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    workflowId: workflowOf.get(span.traceId) as number,
    name: span.name,
    kind: span.kind,
    startMs: msOf(span.startNs),
    endMs: msOf(span.endNs),
    status: span.status,
    statusMessage: span.status === 'error' ? span.statusMessage : '',
    attributes: withCurrentGenAiNames(patternbench ? withoutOpenInferenceAliases(span.attributes) : span.attributes),
    events: span.events.map((event) => ({ name: event.name, timeMs: msOf(event.timeNs), attributes: event.attributes })),
  })).map((span) => withContentPolicy(span, content));
  const spansOfTrace = groupBy(read, (span) => span.traceId);
  // Another service's traces are read into the GenAI vocabulary, one trace at a time.
  if (!patternbench) for (const [traceId, list] of spansOfTrace) spansOfTrace.set(traceId, foreignTrace(list, prices));
  const spans = patternbench ? read : [...spansOfTrace.values()].flat();
  const workflows = roots.map((root, index) => {
    const list = spansOfTrace.get(root.traceId) as SpanRecord[];
    return workflowOfTrace(runId, index, list.find((span) => span.spanId === root.spanId) as SpanRecord, list);
  });
  const virtualEndMs = spans.reduce((end, span) => Math.max(end, span.endMs), 0);
  const epochMs = Number(epochNs / NANOS_PER_MS);
  const run: RunRecord = {
    runId,
    scenario: String(resource['patternbench.scenario'] ?? resource['service.name'] ?? 'unknown_service'),
    pattern: String(resource['patternbench.pattern'] ?? 'imported'),
    variant: String(resource['patternbench.variant'] ?? 'base'),
    seed: typeof resource['patternbench.seed'] === 'number' ? resource['patternbench.seed'] : 0,
    epochMs,
    config: '{}',
    startedAt: new Date(epochMs).toISOString(),
    clock: patternbench ? 'virtual' : 'real',
    load: '{}',
    shard: '',
  };
  return { run, spans, workflows, virtualEndMs };
}

function earliest(spans: readonly ParsedSpan[]): ParsedSpan {
  return spans.reduce((best, span) => (span.startNs < best.startNs ? span : best));
}

/** By start; ties by repeat, then by case id (numeric-aware), then trace id. */
function compareRoots(a: ParsedSpan, b: ParsedSpan): number {
  if (a.startNs !== b.startNs) return a.startNs < b.startNs ? -1 : 1;
  const repeat = Number(a.attributes['patternbench.repeat'] ?? 0) - Number(b.attributes['patternbench.repeat'] ?? 0);
  if (repeat !== 0) return repeat;
  const caseOrder = String(a.attributes['patternbench.case_id'] ?? '').localeCompare(String(b.attributes['patternbench.case_id'] ?? ''), 'en', { numeric: true });
  return caseOrder !== 0 ? caseOrder : a.traceId.localeCompare(b.traceId);
}

/**
 * The attributes without the OpenInference mirror patternbench adds on export (`llm.*`,
 * `openinference.span.kind`): an alias is dropped only when it equals what the GenAI attributes
 * give (or, in an export of an earlier release, the cost it mirrored on every level), so the
 * stored span is the one that was recorded.
 */
function withoutOpenInferenceAliases(attributes: Attributes): Attributes {
  const own: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (!isAlias(key)) own[key] = value;
  const aliases = withOpenInferenceAliases(withCurrentGenAiNames(own));
  const legacyCost = own[LEGACY_COST];
  for (const [key, value] of Object.entries(attributes)) {
    if (isAlias(key) && aliases[key] !== value && !(key === 'llm.cost.total' && value === legacyCost)) own[key] = value;
  }
  return own;
}

function isAlias(key: string): boolean {
  return key === 'openinference.span.kind' || key.startsWith('llm.');
}

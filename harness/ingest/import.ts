import { existsSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import { readOtlpFile } from './import-otlp.ts';
import { importedRuns, type ImportedRun, type ImportOptions } from './import-runs.ts';
import { ATTEMPT_OPERATIONS } from './import-draft.ts';
import { CONTENT_DROPPED } from './import-content.ts';
import { SpanMetricsFold } from '../../reports/store/span-metrics.ts';
import { SqliteSink } from '../../reports/store/sqlite-sink.ts';

/** What `importTraces` wrote. */
export interface ImportSummary {
  readonly runs: number;
  readonly workflows: number;
  readonly spans: number;
  /** Model attempts that report tokens but no cost, and whose model no price matched, by model (request model, else response model). */
  readonly unpriced: ReadonlyMap<string, number>;
  /** Spans whose message content was dropped. */
  readonly contentDropped: number;
}

/**
 * `patternbench import`: reads every OTLP/JSON file first (bad input fails before anything is
 * written), then writes their runs, spans, derived workflows and span metrics to a new results file at `dbPath`
 * (`overwrite` replaces an existing one; otherwise an existing file is `DATABASE_EXISTS`). `options`
 * sets the prices of attempts without a cost and what becomes of message content (`ImportOptions`).
 */
export async function importTraces(paths: readonly string[], dbPath: string, overwrite: boolean, options: ImportOptions = {}): Promise<ImportSummary> {
  if (paths.length === 0) throw new HarnessError('USAGE', 'import needs at least one OTLP/JSON trace file');
  const runs = readTraceFiles(paths, options);
  if (existsSync(dbPath) && !overwrite) throw new HarnessError('DATABASE_EXISTS', `${dbPath} exists; pass --overwrite to replace it, or choose another --db`);
  const sink = SqliteSink.open(dbPath, { overwrite: true });
  let spans = 0;
  let workflows = 0;
  try {
    for (const imported of runs) {
      sink.beginRun(imported.run);
      for (const span of imported.spans) sink.writeSpan(span);
      for (const workflow of imported.workflows) sink.writeWorkflow(workflow);
      // Every span of the run folded into its span metrics, as a run folds its spans as they end.
      const metrics = new SpanMetricsFold();
      for (const span of imported.spans) metrics.add(span);
      for (const row of metrics.records(imported.run.runId)) sink.writeAux({ table: 'span_metrics', row });
      sink.endRun(imported.run.runId, { status: 'completed', finishedAt: imported.run.startedAt, virtualEndMs: imported.virtualEndMs });
      spans += imported.spans.length;
      workflows += imported.workflows.length;
    }
  } finally {
    await sink.close();
  }
  const contentDropped = runs.reduce((total, run) => total + run.spans.filter((span) => span.attributes[CONTENT_DROPPED] !== undefined).length, 0);
  return { runs: runs.length, workflows, spans, unpriced: unpricedAttempts(runs), contentDropped };
}

/** The runs of the OTLP/JSON files at `paths` (`TRACE_INVALID` when one is not such a file). */
export function readTraceFiles(paths: readonly string[], options: ImportOptions = {}): ImportedRun[] {
  return importedRuns(paths.flatMap((path) => readOtlpFile(path)), options);
}

/** Model attempts with tokens and no cost, by model. */
function unpricedAttempts(runs: readonly ImportedRun[]): Map<string, number> {
  const unpriced = new Map<string, number>();
  for (const { spans } of runs) {
    for (const { attributes: a } of spans) {
      const operation = a['gen_ai.operation.name'];
      if (typeof operation !== 'string' || !ATTEMPT_OPERATIONS.has(operation) || a['gen_ai.usage.cost.amount'] !== undefined) continue;
      if (typeof a['gen_ai.usage.input_tokens'] !== 'number' && typeof a['gen_ai.usage.output_tokens'] !== 'number') continue;
      const model = String(a['gen_ai.request.model'] ?? a['gen_ai.response.model'] ?? '(no model)');
      unpriced.set(model, (unpriced.get(model) ?? 0) + 1);
    }
  }
  return unpriced;
}

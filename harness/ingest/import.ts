import { existsSync } from 'node:fs';
import { HarnessError } from '../kernel/errors.ts';
import { readOtlpFile } from './import-otlp.ts';
import { importedRuns, type ImportedRun } from './import-runs.ts';
import { SpanMetricsFold } from '../../reports/store/span-metrics.ts';
import { SqliteSink } from '../../reports/store/sqlite-sink.ts';

/** What `importTraces` wrote. */
export interface ImportSummary {
  readonly runs: number;
  readonly workflows: number;
  readonly spans: number;
}

/**
 * `patternbench import`: reads every OTLP/JSON file first (bad input fails before anything is
 * written), then writes their runs, spans, derived workflows and span metrics to a new results file at `dbPath`
 * (`overwrite` replaces an existing one; otherwise an existing file is `DATABASE_EXISTS`).
 */
export async function importTraces(paths: readonly string[], dbPath: string, overwrite: boolean): Promise<ImportSummary> {
  if (paths.length === 0) throw new HarnessError('USAGE', 'import needs at least one OTLP/JSON trace file');
  const runs = readTraceFiles(paths);
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
  return { runs: runs.length, workflows, spans };
}

/** The runs of the OTLP/JSON files at `paths` (`TRACE_INVALID` when one is not such a file). */
export function readTraceFiles(paths: readonly string[]): ImportedRun[] {
  return importedRuns(paths.flatMap((path) => readOtlpFile(path)));
}

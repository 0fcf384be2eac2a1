/** `patternbench import <otlp.json>…`: OTLP/JSON trace files into a results file. */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { importTraces } from '../ingest/import.ts';
import type { CliIo } from './progress.ts';

/** `out/<first file's name>.db`. */
export function defaultImportPath(paths: readonly string[]): string {
  return join('out', `${basename(paths[0] ?? 'traces').replace(/\.(jsonl?|ndjson)$/, '')}.db`);
}

/** Adds `import` to `program`; its action records the exit code in `result` (bad input exits 2 through `main`). */
export function registerImportCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('import')
    .description('import OTLP/JSON trace files (an OpenTelemetry collector file exporter, or run --otlp) into a results file')
    .argument('<files...>', 'OTLP/JSON files: one ExportTraceServiceRequest object per line')
    .option('--db <file>', 'results database to write (default: out/<first file>.db)')
    .option('--overwrite', 'replace the --db file if it exists', false)
    .action(async (files: string[], flags: Record<string, unknown>) => {
      const dbPath = (flags['db'] as string | undefined) ?? defaultImportPath(files);
      const imported = await importTraces(files, dbPath, flags['overwrite'] as boolean);
      io.err(`imported ${files.length} file(s) into ${dbPath}: ${imported.runs} run(s), ${imported.workflows} workflows, ${imported.spans} spans`);
      result.code = 0;
    });
}

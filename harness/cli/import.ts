/** `patternbench import <otlp.json>…`: OTLP/JSON trace files into a results file. */
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { HarnessError } from '../kernel/errors.ts';
import { importTraces } from '../ingest/import.ts';
import { builtinPrices, readPriceFile } from '../ingest/import-prices.ts';
import type { ContentPolicy } from '../ingest/import-content.ts';
import { compileScenarioFile } from '../run/load-scenario.ts';
import { RunPrivacy } from '../governance/pii.ts';
import { maskKey } from '../governance/pii-key-random.ts';
import type { CliIo } from './progress.ts';

/** `out/<first file's name>.db`. */
export function defaultImportPath(paths: readonly string[]): string {
  return join('out', `${basename(paths[0] ?? 'traces').replace(/\.(jsonl?|ndjson)$/, '')}.db`);
}

/**
 * What becomes of message content: dropped, or with `--keep-content` kept, masked by the privacy
 * policy of `--scenario` when it masks (the values of its classed fields, wherever a JSON object in
 * the content names them). `--scenario` without `--keep-content` is `USAGE`.
 */
export function contentPolicy(keep: boolean, scenarioPath: string | undefined): ContentPolicy {
  if (scenarioPath === undefined) return { keep };
  if (!keep) throw new HarnessError('USAGE', '--scenario masks kept content: pass it with --keep-content (content is dropped by default)');
  const policy = compileScenarioFile(scenarioPath).privacy;
  if (policy === null || !policy.masking) return { keep };
  const privacy = new RunPrivacy(policy, maskKey());
  return { keep, mask: (value) => maskDeep(value, privacy) };
}

/** `text` with classed fields masked in it, and in any JSON text nested in its strings (a message's content). */
function maskDeep(text: string, privacy: RunPrivacy): string {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return maskDeep(node, privacy);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child)]));
    return node;
  };
  return privacy.maskJson(JSON.stringify(walk(value)));
}

/** Adds `import` to `program`; its action records the exit code in `result` (bad input exits 2 through `main`). */
export function registerImportCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('import')
    .description('import OTLP/JSON trace files (an OpenTelemetry collector file exporter, or run --otlp) into a results file')
    .argument('<files...>', 'OTLP/JSON files: one ExportTraceServiceRequest object per line')
    .option('--db <file>', 'results database to write (default: out/<first file>.db)')
    .option('--overwrite', 'replace the --db file if it exists', false)
    .option('--prices <file>', 'YAML/JSON prices by model id ({ inputPerMTok, outputPerMTok, cachedInputPerMTok? }) for attempts without a cost (default: the built-in profiles\' prices)')
    .option('--keep-content', 'keep prompts, completions and tool arguments, which are dropped otherwise', false)
    .option('--scenario <file>', 'with --keep-content: mask the kept content as this scenario\'s privacy policy masks')
    .action(async (files: string[], flags: Record<string, unknown>) => {
      const dbPath = (flags['db'] as string | undefined) ?? defaultImportPath(files);
      const pricesPath = flags['prices'] as string | undefined;
      const prices = pricesPath === undefined ? builtinPrices() : readPriceFile(pricesPath);
      const content = contentPolicy(flags['keepContent'] as boolean, flags['scenario'] as string | undefined);
      const imported = await importTraces(files, dbPath, flags['overwrite'] as boolean, { prices, content });
      io.err(`imported ${files.length} file(s) into ${dbPath}: ${imported.runs} run(s), ${imported.workflows} workflows, ${imported.spans} spans`);
      if (imported.unpriced.size > 0) {
        const models = [...imported.unpriced].map(([model, attempts]) => `${model} (${attempts} attempts)`).join(', ');
        io.err(`unpriced, so costing $0: ${models}; pass --prices FILE with their prices`);
      }
      if (imported.contentDropped > 0) io.err(`message content (prompts, completions, tool arguments) dropped from ${imported.contentDropped} spans; --keep-content keeps it`);
      result.code = 0;
    });
}

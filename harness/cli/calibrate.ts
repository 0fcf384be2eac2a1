/** `patternbench calibrate <db|otlp.json>`: model profiles fitted to recorded model attempts. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { readAttempts } from '../ingest/calibrate-attempts.ts';
import { fitProfiles } from '../ingest/calibrate.ts';
import { calibrationYaml } from '../ingest/calibrate-yaml.ts';
import type { CliIo } from './progress.ts';

/** Adds `calibrate` to `program`; its action records the exit code in `result` (bad input exits 2 through `main`). */
export function registerCalibrateCommand(program: Command, io: CliIo, result: { code: number }): void {
  program
    .command('calibrate')
    .description('fit model profiles (latency or ttft + tokens/s, token counts, fault rates) per agent and model to a results file or OTLP/JSON traces')
    .argument('<source>', 'a results database, or an OTLP/JSON trace file')
    .option('--out <file>', 'write the YAML here (default: print it)')
    .option('--empirical', 'write empirical distributions (the observed values) instead of lognormal fits', false)
    .action((source: string, flags: Record<string, unknown>) => {
      const attempts = readAttempts(source);
      const unexported = attempts.filter((attempt) => attempt.unexported === true).length;
      if (unexported > 0) {
        io.err(
          `${unexported} failed agent calls hold no exported model attempt (their instrumentation does not end the span of a call that fails): ` +
            'each is counted as one failed attempt of its agent\'s model, by the error its agent call recorded',
        );
      }
      if (attempts.some((attempt) => attempt.layer === 'sdk') && !attempts.some((attempt) => attempt.layer === 'http')) {
        io.err(
          'these attempts are client calls: a client that retries inside a call (the openai client does, maxRetries 2 by default) hides its retries, ' +
            'so failures are undercounted and latencies include the retries and their backoff. Trace each HTTP request too ' +
            '(@opentelemetry/instrumentation-undici for fetch, or -http) and import again: each request becomes an attempt; or set the client\'s maxRetries to 0.',
        );
      }
      const agents = fitProfiles(attempts);
      const models = fitProfiles(attempts.map((attempt) => ({ ...attempt, agent: '' })));
      const yaml = calibrationYaml(agents, models, { source, empirical: flags['empirical'] as boolean });
      const out = flags['out'] as string | undefined;
      if (out === undefined) io.out(yaml);
      else {
        writeFileSync(out, yaml);
        io.err(`calibrated ${agents.length} agent profile(s) from ${attempts.length} model attempts: ${out}`);
      }
      result.code = 0;
    });
}

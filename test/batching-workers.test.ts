// Batching shares a batcher between the workflows of a run: such a run is never cut into slices
// (harness/run/slices.ts), and `--workers` gives the same rows whatever the number of workers (the
// cells — scenario × pattern × variant × seed — are independent).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand, type RunCommandOptions } from '../harness/cli/run.ts';
import { compileScenarioText } from '../harness/run/load-scenario.ts';
import { sharedByWorkflows, sliceCount } from '../harness/run/slices.ts';
import { captureIo } from './support/capture-io.ts';
import { tableDigests } from './support/table-digests.ts';

const SCENARIO = `name: batched-chain
seed: 9
agents:
  reader: { role: reads the request, model: small-fast, promptTokens: 2000, outputTokens: { dist: lognormal, p50: 80, p95: 200 }, skill: 0.9, batch: { size: 8, wait: 5s, accuracyLoss: 0.01 } }
  writer: { role: writes the answer, model: mid-tier, promptTokens: 600, outputTokens: { dist: lognormal, p50: 150, p95: 400 }, skill: 0.95 }
cases:
  generate: { count: 60, labels: { yes: 0.5, no: 0.5 } }
patterns:
  sequential: { steps: [reader, writer] }
load: { arrivals: poisson, rate: 15/s, duration: 30s }
variants:
  short-wait:
    agents:
      reader: { batch: { size: 8, wait: 1s } }
  item-retries:
    agents:
      reader: { batch: { size: 4, wait: 2s, retry: item } }
`;

const options = (db: string, workers: number): RunCommandOptions => ({
  patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: null,
  db, overwrite: true, otlp: null, format: 'json', quiet: true, report: false, workers, sliceWorkflows: 110, traces: { mode: 'all' },
});

describe('a run with a batched agent', () => {
  it('is never sliced: its workflows share the batcher', () => {
    const scenario = compileScenarioText(SCENARIO, 'batched-chain.yaml');
    const spec = { scenario, pattern: 'sequential', variant: 'base', seed: 1, cases: [], repeat: 1, load: scenario.load } as unknown as Parameters<typeof sliceCount>[0];
    expect(sharedByWorkflows(spec)).toBe('the batcher of agent reader');
    expect(sliceCount(spec, 110)).toBe(1);
  });

  it('gives the same rows on one worker and on three', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'patternbench-batch-workers-'));
    const file = join(folder, 'batched-chain.yaml');
    writeFileSync(file, SCENARIO);
    const run = async (workers: number): Promise<string> => {
      const db = join(folder, `workers-${workers}.db`);
      const io = captureIo();
      expect(await runCommand([file], options(db, workers), io, { stopped: false }), io.stderr.join('\n')).toBe(0);
      return db;
    };
    expect(tableDigests(await run(3))).toEqual(tableDigests(await run(1)));
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { runExportingTraces } from './support/otlp-file-receiver.ts';
import { writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-calibrate-otlp-'));
const scenario = writeFlakyChain(folder);

async function calibrate(source: string, out: string): Promise<Record<string, unknown>> {
  expect(await main(['calibrate', source, '--out', out], captureIo())).toBe(0);
  return parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
}

describe('calibrate <otlp.json>', () => {
  it('fits the same profiles from the traces a run exported as from its results file', async () => {
    const db = join(folder, 'run.db');
    const traces = join(folder, 'traces.jsonl');
    expect(await runExportingTraces(scenario, db, traces)).toBe(0);
    const fromDb = await calibrate(db, join(folder, 'from-db.yaml'));
    const fromTraces = await calibrate(traces, join(folder, 'from-traces.yaml'));
    expect(Object.keys(fromDb['agents'] as object)).toEqual(['extractor', 'scorer', 'writer']);
    // Every agent has a latency fit and the fault rates it was simulated with, measured over its attempts.
    for (const fitted of Object.values(fromDb['agents'] as Record<string, { latency: { dist: string }; faults: Record<string, number> }>)) {
      expect(fitted.latency.dist).toBe('lognormal');
      expect(fitted.faults['error']).toBeGreaterThan(0);
      expect(fitted.faults['rateLimit']).toBeGreaterThan(0);
    }
    expect(fromTraces).toEqual(fromDb);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/run/load-scenario.ts';
import { SqliteSink } from '../reports/store/sqlite-sink.ts';
import { dumpDatabase } from './support/db-dump.ts';
import { runOnce } from './support/run-scenario.ts';

const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const folder = mkdtempSync(join(tmpdir(), 'patternbench-golden-'));

async function runInto(name: string, seed: number): Promise<string> {
  const path = join(folder, name);
  const sink = SqliteSink.open(path, { overwrite: true });
  await runOnce(scenario, { seed, cases: 60, concurrency: 5, sink });
  await sink.close();
  return path;
}

describe('golden determinism', () => {
  it('gives identical runs, workflows and spans rows for the same seed', async () => {
    const first = dumpDatabase(await runInto('a.db', 7), { withoutWallClock: true });
    const second = dumpDatabase(await runInto('b.db', 7), { withoutWallClock: true });
    expect(first['workflows']).toHaveLength(60);
    expect(first['spans']!.length).toBeGreaterThanOrEqual(60 * 9);
    expect(second).toEqual(first);
  });

  it('gives different rows for another seed (so the comparison above can fail)', async () => {
    const first = dumpDatabase(await runInto('c.db', 7), { withoutWallClock: true });
    const other = dumpDatabase(await runInto('d.db', 8), { withoutWallClock: true });
    expect(other['workflows']).not.toEqual(first['workflows']);
    expect(other['spans']).not.toEqual(first['spans']);
  });
});

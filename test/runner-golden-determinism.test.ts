import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileScenarioFile } from '../harness/scenario-compile.ts';
import { openDatabase } from '../reports/schema.ts';
import { SqliteSink } from '../reports/sqlite-sink.ts';
import { runOnce } from './support/run-scenario.ts';

const scenario = compileScenarioFile(new URL('../scenarios/legal-review.yaml', import.meta.url).pathname);
const folder = mkdtempSync(join(tmpdir(), 'patternbench-golden-'));

/** Every row of the three tables, wall-clock metadata aside. */
function dump(path: string): Record<string, unknown[]> {
  const db = openDatabase(path, { readonly: true });
  try {
    return {
      runs: db.prepare('SELECT * FROM runs ORDER BY run_id').all().map((row) => ({ ...(row as object), started_at: null, finished_at: null })),
      workflows: db.prepare('SELECT * FROM workflows ORDER BY run_id, workflow_id').all(),
      spans: db.prepare('SELECT * FROM spans ORDER BY run_id, trace_id, span_id').all(),
    };
  } finally {
    db.close();
  }
}

async function runInto(name: string, seed: number): Promise<string> {
  const path = join(folder, name);
  const sink = SqliteSink.open(path, { overwrite: true });
  await runOnce(scenario, { seed, cases: 60, concurrency: 5, sink });
  await sink.close();
  return path;
}

describe('golden determinism', () => {
  it('gives identical runs, workflows and spans rows for the same seed', async () => {
    const first = dump(await runInto('a.db', 7));
    const second = dump(await runInto('b.db', 7));
    expect(first['workflows']).toHaveLength(60);
    expect(first['spans']!.length).toBeGreaterThanOrEqual(60 * 9);
    expect(second).toEqual(first);
  });

  it('gives different rows for another seed (so the comparison above can fail)', async () => {
    const first = dump(await runInto('c.db', 7));
    const other = dump(await runInto('d.db', 8));
    expect(other['workflows']).not.toEqual(first['workflows']);
    expect(other['spans']).not.toEqual(first['spans']);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

/**
 * Seeds 118151 and 168038 of this scenario's single-agent run got the same 32-bit ids seed under
 * the old derivation (`mixSeed(seed, hashKey('ids'), hashKey(runId))`, found by brute force over
 * seeds 0–168038), so every workflow of one run had the trace and span ids of the other's workflow
 * of the same id, and the second run's spans hit the file's unique (trace_id, span_id) index.
 */
const SEEDS = [118_151, 168_038] as const;
const WORKFLOWS = 20;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-seed-ids-'));
const scenario = join(folder, 'ids-collide.yaml');
writeFileSync(
  scenario,
  [
    'name: ids-collide',
    'agents:',
    '  solo: { role: Answers, model: mid-tier, faults: { error: 0, timeout: 0, rateLimit: 0 } }',
    'cases:',
    `  generate: { count: ${WORKFLOWS}, labels: { ok: 1 } }`,
    'patterns:',
    '  single-agent: { agent: solo }',
    '',
  ].join('\n'),
);

/** Per run: spans stored and distinct trace ids. */
function tracesByRun(path: string): { runId: string; spans: number; traces: number }[] {
  const db = openDatabase(path, { readonly: true });
  try {
    return db
      .prepare('SELECT run_id AS runId, count(*) AS spans, count(DISTINCT trace_id) AS traces FROM spans GROUP BY run_id ORDER BY run_id')
      .all() as { runId: string; spans: number; traces: number }[];
  } finally {
    db.close();
  }
}

describe('runs of two seeds whose ids collided under 32-bit id seeds', () => {
  it('store in one file, every trace id distinct across the runs', async () => {
    const db = join(folder, 'both.db');
    const io = captureIo();
    const code = await main(['run', scenario, '--seed', SEEDS.join(','), '--db', db, '--quiet', '--no-report', '--format', 'json'], io);
    expect(io.stderr.join('\n')).not.toContain('SINK_FAILED');
    expect(code).toBe(0);
    const runs = tracesByRun(db);
    expect(runs.map((run) => run.runId)).toEqual(SEEDS.map((seed) => `ids-collide/single-agent/base/seed-${seed}`));
    for (const run of runs) expect(run.traces).toBe(WORKFLOWS);
    const all = openDatabase(db, { readonly: true });
    try {
      expect(all.prepare('SELECT count(DISTINCT trace_id) FROM spans').pluck().get()).toBe(2 * WORKFLOWS);
    } finally {
      all.close();
    }
  });

  it('merge from one file per seed into the same rows', async () => {
    const files = SEEDS.map((seed) => join(folder, `seed-${seed}.db`));
    for (const [index, seed] of SEEDS.entries()) {
      const args = ['run', scenario, '--seed', String(seed), '--db', files[index] as string, '--quiet', '--no-report', '--format', 'json'];
      expect(await main(args, captureIo())).toBe(0);
    }
    const merged = join(folder, 'merged.db');
    const io = captureIo();
    expect(await main(['merge', merged, ...files], io)).toBe(0);
    expect(tracesByRun(merged)).toEqual(files.flatMap(tracesByRun));
    const db = openDatabase(merged, { readonly: true });
    try {
      expect(db.prepare('SELECT count(DISTINCT trace_id) FROM spans').pluck().get()).toBe(2 * WORKFLOWS);
    } finally {
      db.close();
    }
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { runCommand } from '../harness/cli/run.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-realtime-'));

/** 20 workflows of one 5 ms call, 5 at a time: ~20 ms of wall time in real time. */
const file = join(folder, 'tiny.yaml');
writeFileSync(
  file,
  [
    'name: tiny-realtime',
    'agents:',
    '  worker: { role: answers, model: small-fast, latency: 5ms, faults: { error: 0, timeout: 0, rateLimit: 0 } }',
    'cases:',
    '  generate: { count: 20, labels: { a: 1 } }',
    'patterns:',
    '  single-agent: { agent: worker }',
    'load: { arrivals: closed, concurrency: 5 }',
    '',
  ].join('\n'),
);

function query<T>(db: string, read: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(db, { readonly: true });
  try {
    return read(sqlite);
  } finally {
    sqlite.close();
  }
}

describe('run --realtime', () => {
  it('runs on the wall clock, marks the run real and records the scheduling lag (structure only, no timing)', async () => {
    const db = join(folder, 'real.db');
    expect(await main(['run', file, '--realtime', '--db', db, '--no-report', '--quiet'], captureIo())).toBe(0);
    query(db, (sqlite) => {
      expect(sqlite.prepare('SELECT clock, status FROM runs').all()).toEqual([{ clock: 'real', status: 'completed' }]);
      const workflows = sqlite.prepare("SELECT count(*) AS n, sum(status = 'completed') AS completed, sum(model_attempts) AS attempts FROM workflows").get();
      expect(workflows).toEqual({ n: 20, completed: 20, attempts: 20 });
      // Every attempt sleeps on the real clock at least once, and each wake-up reports its lag.
      const lag = sqlite.prepare("SELECT count, min_ms FROM histograms WHERE metric = 'harness.lag' AND scope = ''").get() as { count: number; min_ms: number } | undefined;
      expect(lag?.count).toBeGreaterThanOrEqual(20);
      expect(lag?.min_ms).toBeGreaterThanOrEqual(0);
    });
  });

  it('interrupted, says it cannot be resumed (as --resume would say) rather than printing a --resume command', async () => {
    const db = join(folder, 'interrupted.db');
    const io = captureIo();
    // Ctrl-C once the run has started a few workflows.
    let polls = 0;
    const stop = { get stopped(): boolean { return ++polls > 3; } };
    const options = {
      patterns: null, variants: null, seeds: null, cases: null, repeat: 1, concurrency: null,
      db, overwrite: true, otlp: null, format: 'json', quiet: false, report: false, workers: 1, realtime: true,
    } as const;
    expect(await runCommand([file], options, io, stop)).toBe(130);
    const hint = io.stderr.find((line) => line.startsWith('interrupted: '));
    expect(hint).toContain('A --realtime run cannot be resumed');
    expect(hint).not.toContain('--resume');
    query(db, (sqlite) => expect(sqlite.prepare('SELECT status FROM runs').pluck().all()).toEqual(['interrupted']));
    const resumed = captureIo();
    expect(await main(['run', file, '--realtime', '--resume', db, '--no-report', '--quiet'], resumed)).toBe(2);
    expect(resumed.stderr.join('')).toContain('wall-clock (--realtime) runs cannot be resumed');
  });

  it('records no lag on the virtual clock (so the row above comes from --realtime)', async () => {
    const db = join(folder, 'virtual.db');
    expect(await main(['run', file, '--db', db, '--no-report', '--quiet'], captureIo())).toBe(0);
    query(db, (sqlite) => {
      expect(sqlite.prepare('SELECT clock FROM runs').pluck().all()).toEqual(['virtual']);
      expect(sqlite.prepare("SELECT count(*) FROM histograms WHERE metric = 'harness.lag'").pluck().get()).toBe(0);
    });
  });
});

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-thresholds-'));

/** Ten workflows of one 2 s call each: p95(latency) = 2 s, accuracy 100 %. */
function scenarioFile(name: string, thresholds: readonly string[]): string {
  const lines = [
    `name: ${name}`, //                                                                   1
    'agents:', //                                                                         2
    '  worker: { role: answers, model: small-fast, latency: 2s, skill: 1, faults: { error: 0, timeout: 0, rateLimit: 0 } }', // 3
    'cases:', //                                                                          4
    '  generate: { count: 10, labels: { a: 1 } }', //                                     5
    'patterns:', //                                                                       6
    '  single-agent: { agent: worker }', //                                               7
    ...(thresholds.length === 0 ? [] : ['thresholds:', ...thresholds.map((text) => `  - "${text}"`)]), // 8, 9, …
  ];
  const file = join(folder, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function run(file: string, db: string, ...flags: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['run', file, '--db', db, '--no-report', ...flags], io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

function storedThresholds(db: string): { expression: string; source: string; passed: number }[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare('SELECT expression, source, passed FROM thresholds ORDER BY expression').all() as { expression: string; source: string; passed: number }[];
  } finally {
    sqlite.close();
  }
}

describe('run with thresholds', () => {
  it('exits 1 and prints a ✗ row when a --threshold fails, recording it', async () => {
    const db = join(folder, 'failing.db');
    const result = await run(scenarioFile('failing', ['accuracy > 90%']), db, '--threshold', 'p95(latency) < 1ms');
    expect(result.code).toBe(1);
    const failed = result.out.split('\n').filter((line) => line.includes('✗'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toContain('p95(latency) < 1ms');
    expect(failed[0]).toMatch(/2\.00s\s+1\.00ms/);
    expect(result.out.split('\n').some((line) => line.includes('✓') && line.includes('accuracy > 90%'))).toBe(true);
    expect(result.err).toContain('thresholds failed');
    expect(storedThresholds(db)).toEqual([
      { expression: 'accuracy > 90%', source: 'scenario', passed: 1 },
      { expression: 'p95(latency) < 1ms', source: 'cli', passed: 0 },
    ]);
  });

  it('exits 0 when every threshold holds', async () => {
    const db = join(folder, 'passing.db');
    const result = await run(scenarioFile('passing', ['accuracy > 90%']), db, '--threshold', 'p95(latency) < 1h', '--threshold', 'single-agent: error_rate < 1%');
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('✗');
    expect(result.out.split('\n').filter((line) => line.includes('✓'))).toHaveLength(3);
    expect(storedThresholds(db).map((row) => row.passed)).toEqual([1, 1, 1]);
  });

  it('exits 2 on a malformed thresholds: entry, naming file:line:column, and writes no database', async () => {
    const db = join(folder, 'malformed.db');
    const file = scenarioFile('malformed', ['accuracy > 90%', 'p95(latncy) < 20s']);
    const result = await run(file, db);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`${file}:10:5 thresholds[1]`);
    expect(result.out).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('exits 2 on a --threshold it cannot parse, and writes no database', async () => {
    const db = join(folder, 'garbage.db');
    const result = await run(scenarioFile('garbage', []), db, '--threshold', 'fast enough please');
    expect(result.code).toBe(2);
    expect(result.err).toContain('fast enough please');
    expect(existsSync(db)).toBe(false);
  });
});

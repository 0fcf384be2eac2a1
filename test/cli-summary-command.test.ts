/**
 * `patternbench summary <db>` prints what `run` printed after the run — the summary table, every
 * block and the thresholds recorded in the file — for any results file, merged ones too; its
 * json, csv and markdown carry every block. It reads only the tables it declares, and a damaged or
 * foreign file exits 2.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { SUMMARY_READER } from '../harness/cli/summary.ts';
import { SUMMARY_FIELDS } from '../reports/summary/format.ts';
import { SCHEMA_VERSION } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const outage = new URL('../scenarios/credit-check-outage.yaml', import.meta.url).pathname;
const legal = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-summary-'));
const faults = join(folder, 'faults.db');
const plain = join(folder, 'plain.db');
const RUN = ['--seed', '1,2', '--duration', '1m', '--no-report', '--threshold', 'p95(latency) < 60s'];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

let faultsRun = '';
let plainRun = '';

beforeAll(async () => {
  const first = await cli('run', outage, ...RUN, '--db', faults, '--quiet');
  expect(first.out).toContain('reliability (');
  faultsRun = first.out;
  const second = await cli('run', legal, '--cases', '6', '--db', plain, '--quiet');
  expect(second.code).toBe(0);
  plainRun = second.out;
});

describe('patternbench summary', () => {
  it('prints exactly what run printed: the table, every block and the recorded thresholds', async () => {
    expect(faultsRun).toContain('thresholds: ');
    expect(await cli('summary', faults)).toEqual({ code: 0, out: faultsRun, err: '' });
    // No thresholds recorded: no threshold table, as run printed none.
    expect(await cli('summary', plain)).toEqual({ code: 0, out: plainRun, err: '' });
  });

  it('--format json is one object holding every block, each per-run row naming its run (seed included)', async () => {
    const { code, out } = await cli('summary', faults, '--format', 'json');
    expect(code).toBe(0);
    const document = JSON.parse(out) as Record<string, { runId: string }[]>;
    expect(Object.keys(document)).toEqual(['runs', 'facts', 'routing', 'batching', 'reliability', 'security', 'residency', 'load', 'state', 'traces', 'autoscale', 'speculation', 'thresholds', 'decision']);
    const runIds = [
      'credit-check-outage/sequential/base/seed-1',
      'credit-check-outage/sequential/base/seed-2',
      'credit-check-outage/sequential/breaker-fallback/seed-1',
      'credit-check-outage/sequential/breaker-fallback/seed-2',
    ];
    for (const block of ['runs', 'facts', 'reliability', 'security', 'load'] as const) {
      expect((document[block] ?? []).map((row) => row.runId).sort()).toEqual(runIds);
    }
    // The scenario's two thresholds and the command line's one, which repeats one of them: two per run.
    expect(document['thresholds']).toHaveLength(8);
  });

  it('--format csv and markdown carry the blocks after the summary table', async () => {
    const csv = (await cli('summary', faults, '--format', 'csv')).out.split('\r\n\r\n');
    expect(csv[0]?.split('\r\n')[0]).toBe(SUMMARY_FIELDS.join(','));
    expect(csv.slice(1).map((section) => section.split('\r\n')[0])).toEqual(['# facts', '# reliability', '# security', '# load', '# thresholds', '# decision']);
    const reliability = (csv[2] ?? '').split('\r\n');
    expect(reliability[1]?.split(',').slice(0, 2)).toEqual(['runId', 'scenario']);
    expect(reliability).toHaveLength(2 + 4);
    const markdown = (await cli('summary', faults, '--format', 'markdown')).out;
    for (const heading of ['#### facts', '#### reliability', '#### load', '#### thresholds', '#### decision']) expect(markdown).toContain(`\n${heading}\n`);
    expect(markdown).toContain('credit-check-outage/sequential/base/seed-2');
  });

  it('run keeps its json array, and its markdown carries the same blocks as summary', async () => {
    const db = join(folder, 'again.db');
    const json = await cli('run', outage, ...RUN, '--db', db, '--format', 'json');
    expect(Array.isArray(JSON.parse(json.out.slice(0, json.out.indexOf('\n]') + 2)))).toBe(true);
    const markdown = await cli('run', outage, ...RUN, '--db', db, '--overwrite', '--format', 'markdown');
    expect(markdown.out).toBe((await cli('summary', db, '--format', 'markdown')).out);
  });

  it('summarises a merged file: the runs of every input', async () => {
    const other = join(folder, 'seed-3.db');
    await cli('run', outage, '--seed', '3', '--duration', '1m', '--no-report', '--db', other, '--quiet');
    const merged = join(folder, 'merged.db');
    expect((await cli('merge', merged, faults, other)).code).toBe(0);
    const { code, out } = await cli('summary', merged);
    expect(code).toBe(0);
    const reliability = out.slice(out.indexOf('reliability ('), out.indexOf('load ('));
    for (const seed of [1, 2, 3]) expect(reliability).toContain(`credit-check-outage/sequential/base/seed-${seed} `);
  });

  it('refuses a file that is not a results database, or a damaged one, with exit 2', async () => {
    const foreign = join(folder, 'foreign.db');
    writeFileSync(foreign, 'not a database');
    expect(await cli('summary', foreign)).toEqual({ code: 2, out: '', err: `error [SCHEMA_MISMATCH]: ${foreign} is not a patternbench results database: it is not an SQLite file` });
    const truncated = join(folder, 'truncated.db');
    writeFileSync(truncated, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(40)]));
    const damaged = await cli('summary', truncated);
    expect(damaged.code).toBe(2);
    expect(damaged.err).toMatch(/^error \[DATABASE_CORRUPT\]: .* is damaged: it is truncated/);
    expect((await cli('summary', join(folder, 'missing.db'))).code).toBe(2);
  });

  it('works with only the tables it declares, and names each one it lacks', async () => {
    const relations = SUMMARY_READER.relations ?? [];
    const copy = (name: string, change: (db: Database.Database) => void): string => {
      const path = join(folder, name);
      copyFileSync(plain, path);
      const db = new Database(path);
      change(db);
      db.close();
      return path;
    };
    const kept = new Set(['meta', 'span_rows', 'strings', ...relations]);
    const only = copy('only.db', (db) => {
      const all = db.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' ORDER BY type = 'table'").all() as { type: string; name: string }[];
      for (const { type, name } of all) if (!kept.has(name)) db.exec(`DROP ${type === 'view' ? 'VIEW' : 'TABLE'} ${name}`);
    });
    expect(await cli('summary', only)).toEqual({ code: 0, out: plainRun, err: '' });
    for (const relation of relations) {
      const without = copy(`without-${relation}.db`, (db) => db.exec(`DROP ${relation === 'spans' ? 'VIEW' : 'TABLE'} ${relation}`));
      expect(await cli('summary', without)).toEqual({
        code: 2,
        out: '',
        err: `error [SCHEMA_MISMATCH]: ${without} says it is a patternbench results file of schema version ${SCHEMA_VERSION}, but it has no table ${relation}, which summary reads (a damaged or hand-made file)`,
      });
    }
  });
});

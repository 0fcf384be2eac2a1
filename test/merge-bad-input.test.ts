import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { SCHEMA_VERSION } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';
import { splitByParity } from './support/shard-split.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-merge-bad-'));
let shards: [string, string] = ['', ''];

/** Runs `merge` into a fresh output path; returns the exit code, stderr, and whether the output (or a temporary file) exists. */
async function merge(...inputs: string[]): Promise<{ code: number; stderr: string; written: boolean }> {
  const out = join(folder, `out-${readdirSync(folder).length}.db`);
  const io = captureIo();
  const code = await main(['merge', out, ...inputs], io);
  const leftovers = readdirSync(folder).filter((name) => name.startsWith('.patternbench-merge-'));
  return { code, stderr: io.stderr.join('\n'), written: existsSync(out) || leftovers.length > 0 };
}

/** A copy of `path` changed by `sql`. */
function alteredCopy(path: string, name: string, sql: string): string {
  const copy = join(folder, name);
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return copy;
}

describe('merge with bad input', () => {
  beforeAll(async () => {
    const original = join(folder, 'original.db');
    expect(await main(['run', scenario, '--cases', '20', '--pattern', 'sequential', '--checkpoints', '--db', original, '--quiet'], captureIo())).toBe(0);
    shards = splitByParity(original, folder);
  });

  it('exits 2 on a file that is not a results database, writing nothing', async () => {
    const junk = join(folder, 'junk.db');
    writeFileSync(junk, 'not sqlite at all');
    expect(await merge(shards[0], junk)).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('[SCHEMA_MISMATCH]') });
    expect(await merge(shards[0], join(folder, 'missing.db'))).toMatchObject({ code: 2, written: false });
  });

  it('exits 2 on another schema version', async () => {
    const old = alteredCopy(shards[0], 'old.db', "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
    expect(await merge(old, shards[1])).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('schema version 1') });
    // Versions 4, 5 and 6 are still read (reports, compare) but not merged.
    for (const version of ['4', '5', '6']) {
      const readable = alteredCopy(shards[0], `v${version}.db`, `UPDATE meta SET value = '${version}' WHERE key = 'schema_version'`);
      expect(await merge(readable, shards[1])).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining(`merge takes files of version ${SCHEMA_VERSION} only`) });
    }
  });

  it('exits 2 when the same workflows or spans come from two inputs, leaving nothing half-written', async () => {
    const again = alteredCopy(shards[0], 'again.db', "UPDATE runs SET shard = '2/2'");
    const result = await merge(shards[0], again);
    expect(result).toMatchObject({ code: 2, written: false });
    expect(result.stderr).toMatch(/\[MERGE_CONFLICT\].*(workflow \d+ of run|holds workflow)/);
    const tables = ['runs', 'workflows', 'histograms', 'span_metrics', 'timeseries', 'queue_series', 'events', 'dead_letters', 'checkpoints', 'audit'];
    // Spans name their run through its `strings` id.
    const renameSpans = "UPDATE strings SET value = 'other' WHERE id IN (SELECT run FROM span_rows);";
    const renamed = alteredCopy(shards[1], 'renamed.db', `DROP TRIGGER audit_no_update;${tables.map((table) => `UPDATE ${table} SET run_id = 'other';`).join('')}${renameSpans}`);
    const withSameSpans = await merge(shards[1], renamed);
    expect(withSameSpans).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('a span is in more than one input') });
    // Everything renamed or re-identified but the checkpoints: they clash when their unique index is built.
    const others = tables.filter((table) => table !== 'checkpoints').map((table) => `UPDATE ${table} SET run_id = 'other';`).join('');
    const newSpans = "UPDATE span_rows SET trace_id = trace_id || 'x', span_id = span_id || 'x';";
    const sameCheckpoints = alteredCopy(shards[1], 'same-checkpoints.db', `DROP TRIGGER audit_no_update;${others}${renameSpans}${newSpans}`);
    expect(await merge(shards[1], sameCheckpoints)).toMatchObject({ code: 2, written: false, stderr: expect.stringMatching(/a checkpoint is in more than one input \(run .+, workflow \d+, call \d+\)/) });
  });

  it('exits 2 when shards of a run disagree on its configuration', async () => {
    const other = alteredCopy(shards[1], 'other-config.db', `UPDATE runs SET config = '{"changed":true}'`);
    expect(await merge(shards[0], other)).toMatchObject({ code: 2, written: false, stderr: expect.stringContaining('different config') });
  });

  it('refuses to replace an existing output without --overwrite', async () => {
    const out = join(folder, 'existing.db');
    expect(await main(['merge', out, ...shards], captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(['merge', out, ...shards], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--overwrite');
    expect(await main(['merge', out, ...shards, '--overwrite'], captureIo())).toBe(0);
  });
});

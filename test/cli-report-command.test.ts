import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const scenario = new URL('../scenarios/legal-review.yaml', import.meta.url).pathname;
const folder = mkdtempSync(join(tmpdir(), 'patternbench-report-'));

describe('patternbench report', () => {
  it('writes the report beside the database by default, or to --out, and prints the path', async () => {
    const db = join(folder, 'small.db');
    expect(await main(['run', scenario, '--cases', '10', '--db', db, '--quiet'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(['report', db], io)).toBe(0);
    expect(io.stdout).toEqual([join(folder, 'small.html')]);
    expect(readFileSync(join(folder, 'small.html'), 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*legal-review[\s\S]*<\/html>\n$/);

    const out = join(folder, 'nested', 'report.html');
    const named = captureIo();
    expect(await main(['report', db, '--out', out], named)).toBe(0);
    expect(named.stdout).toEqual([out]);
    expect(existsSync(out)).toBe(true);
  });

  it('exits 2 and writes nothing when the database is missing', async () => {
    const io = captureIo();
    expect(await main(['report', join(folder, 'missing.db')], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('no results database');
    expect(existsSync(join(folder, 'missing.html'))).toBe(false);
  });
});

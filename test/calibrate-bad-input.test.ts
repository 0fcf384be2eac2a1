import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { openDatabase } from '../reports/store/schema.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-calibrate-bad-'));
const text = join(folder, 'notes.txt');
writeFileSync(text, 'not a trace\n');
const emptyDb = join(folder, 'empty.db');
openDatabase(emptyDb).close();

describe('patternbench calibrate, bad input', () => {
  const cases: [string, string, string][] = [
    ['a missing file', join(folder, 'missing.db'), 'no results database or trace file at'],
    ['a file that is neither a results file nor OTLP/JSON', text, 'notes.txt:1: is not JSON'],
    ['a results file without model attempts', emptyDb, 'holds no model attempts'],
  ];
  for (const [what, source, message] of cases) {
    it(`exits 2 on ${what}, with a clear message, writing nothing`, async () => {
      const out = join(folder, `${what.replaceAll(' ', '-')}.yaml`);
      const io = captureIo();
      expect(await main(['calibrate', source, '--out', out], io)).toBe(2);
      expect(io.stderr.join('')).toContain(message);
      expect(existsSync(out)).toBe(false);
    });
  }
});

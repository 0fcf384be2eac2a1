import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-bad-'));
const file = (name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};

describe('patternbench import, bad input', () => {
  const cases: [string, string, string][] = [
    ['a missing file', join(folder, 'missing.json'), 'no trace file at'],
    ['text that is not JSON', file('text.json', 'hello\n'), 'text.json:1: is not JSON'],
    ['JSON that is not OTLP', file('other.json', '{"data": []}\n'), 'other.json:1: not an OTLP/JSON ExportTraceServiceRequest'],
    ['a span without ids', file('noid.json', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}\n'), 'lacks a valid traceId'],
    ['a file without spans', file('empty.json', '{"resourceSpans":[]}\n'), 'holds no spans'],
  ];
  for (const [what, path, message] of cases) {
    it(`exits 2 on ${what}, with a clear message, writing nothing`, async () => {
      const db = join(folder, `${what.replaceAll(' ', '-')}.db`);
      const io = captureIo();
      expect(await main(['import', path, '--db', db], io)).toBe(2);
      expect(io.stderr.join('')).toContain(message);
      expect(existsSync(db)).toBe(false);
    });
  }
});

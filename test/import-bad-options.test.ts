/** `import` refuses a bad `--prices` file and `--scenario` without `--keep-content`, saying what is wrong and writing nothing. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeForeignTraces } from './support/otlp-foreign.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-import-bad-options-'));
const file = (name: string, text: string): string => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const traces = writeForeignTraces(join(folder, 'traces.jsonl'), 'shop', [{ trace: 'a', id: '1', parent: '', name: 'order', startMs: 0, endMs: 10 }]);

describe('patternbench import, bad options', () => {
  const cases: [string, string[], string][] = [
    ['a missing price file', ['--prices', join(folder, 'missing.yaml')], 'no price file at'],
    ['a price without its output price', ['--prices', file('partial.yaml', 'gpt-x: { inputPerMTok: 1 }\n')], 'partial.yaml: gpt-x.outputPerMTok:'],
    ['a negative price', ['--prices', file('negative.yaml', 'gpt-x: { inputPerMTok: -1, outputPerMTok: 1 }\n')], 'negative.yaml: gpt-x.inputPerMTok:'],
    ['an unknown price field', ['--prices', file('unknown.yaml', 'gpt-x: { inputPerMTok: 1, outputPerMTok: 1, perCall: 2 }\n')], 'unknown.yaml: gpt-x:'],
    ['--scenario without --keep-content', ['--scenario', file('s.yaml', 'name: s\n')], '--scenario masks kept content: pass it with --keep-content'],
  ];
  for (const [what, flags, message] of cases) {
    it(`exits 2 on ${what}, with a clear message, writing nothing`, async () => {
      const db = join(folder, `${what.replaceAll(/\W+/g, '-')}.db`);
      const io = captureIo();
      expect(await main(['import', traces, '--db', db, ...flags], io)).toBe(2);
      expect(io.stderr.join('')).toContain(message);
      expect(existsSync(db)).toBe(false);
    });
  }
});

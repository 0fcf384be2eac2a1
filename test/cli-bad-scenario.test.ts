import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-bad-'));

/** A valid scenario; each case below breaks one line of it. */
const VALID = [
  'name: bad-input', //                                   1
  'agents:', //                                           2
  '  worker:', //                                         3
  '    role: does the work', //                           4
  '    model: small-fast', //                             5
  '    outputTokens: { dist: lognormal, p50: 300, p95: 900 }', // 6
  '    faults: { error: 0.01 }', //                       7
  'cases:', //                                            8
  '  generate: { count: 10, labels: { a: 1 } }', //       9
  'patterns:', //                                         10
  '  sequential: { steps: [worker] }', //                 11
];

function withLine(line: number, text: string): string {
  const lines = [...VALID];
  lines[line - 1] = text;
  return `${lines.join('\n')}\n`;
}

describe('run with a bad scenario', () => {
  it.each([
    ['an unknown key', withLine(5, '    modle: small-fast'), ':5:5 agents.worker'],
    ['a wrong type', withLine(7, '    faults: { error: often }'), ':7:22 agents.worker.faults.error'],
    ['a negative rate', withLine(7, '    faults: { error: -0.5 }'), ':7:22 agents.worker.faults.error'],
    ['p95 below p50', withLine(6, '    outputTokens: { dist: lognormal, p50: 300, p95: 200 }'), ':6:53 agents.worker.outputTokens.p95'],
    ['a missing agent referenced by a pattern', withLine(11, '  sequential: { steps: [worker, reviewer] }'), ':11:33 patterns.sequential.steps[1]'],
  ])('with %s exits 2, names file:line:column and field, and writes no database', async (_name, yaml, where) => {
    const file = join(folder, `${where.replace(/\W+/g, '-')}.yaml`);
    const db = join(folder, `${where.replace(/\W+/g, '-')}.db`);
    writeFileSync(file, yaml);
    const io = captureIo();
    const code = await main(['run', file, '--db', db, '--quiet'], io);
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain(`${file}${where}`);
    expect(existsSync(db)).toBe(false);
    expect(io.stdout).toEqual([]);
  });

  it('accepts the unbroken scenario (so the cases above fail for their own reason)', async () => {
    const file = join(folder, 'valid.yaml');
    const db = join(folder, 'valid.db');
    writeFileSync(file, `${VALID.join('\n')}\n`);
    const io = captureIo();
    expect(await main(['run', file, '--db', db, '--quiet'], io)).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

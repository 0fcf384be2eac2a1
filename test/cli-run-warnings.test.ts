import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-warnings-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('patternbench run with a doubtful scenario', () => {
  it('prints its compile warnings to stderr (even with --quiet) and runs anyway', async () => {
    const file = join(folder, 'desk.yaml');
    writeFileSync(
      file,
      [
        'name: desk',
        'agents:',
        '  extractor: { role: Extracts the order fields, model: small-fast }',
        '  approver: { role: Approves or holds the order, model: mid-tier }',
        'cases:',
        '  generate: { count: 5, labels: { approve: 1, hold: 1 } }',
        'patterns:',
        '  fanout: { workers: [extractor, approver] }',
        '',
      ].join('\n'),
    );
    const io = captureIo();
    const code = await main(['run', file, '--db', join(folder, 'desk.db'), '--format', 'json', '--quiet', '--no-report'], io);
    expect(code).toBe(0);
    expect(io.stderr).toEqual([
      `${file}:8:34 patterns.fanout.workers[1]: warning: fanout merges the label of agents with different roles (extractor, approver): ` +
        "each is judged as if it answered the case's label. If they answer the same question, declare the same `outputs:` on each; " +
        'if not, chain them (sequential) or merge only the agents that answer it',
    ]);
    expect(JSON.parse(io.stdout.join(''))).toHaveLength(1);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-gate-'));
const file = join(folder, 'gate.yaml');
writeFileSync(
  file,
  `name: gate
agents:
  worker: { role: answers, model: small-fast, latency: 2s, faults: { error: 0, timeout: 0, rateLimit: 0 } }
cases:
  generate: { count: 5, labels: { a: 1 } }
patterns:
  single-agent: { agent: worker }
thresholds:
  - p95(latency) < 1s
`,
);

describe('run --no-threshold-gate', () => {
  it('prints the failed threshold but exits 0, where the gate exits 1', async () => {
    const gated = captureIo();
    expect(await main(['run', file, '--db', join(folder, 'gated.db'), '--no-report', '--quiet'], gated)).toBe(1);
    const open = captureIo();
    expect(await main(['run', file, '--db', join(folder, 'open.db'), '--no-report', '--quiet', '--no-threshold-gate'], open)).toBe(0);
    const failedRows = (io: { stdout: string[] }) => io.stdout.join('\n').split('\n').filter((line) => line.startsWith('✗'));
    expect(failedRows(open)).toEqual(failedRows(gated));
    expect(failedRows(open)).toHaveLength(1);
  });
});

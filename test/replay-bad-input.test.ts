import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { captureIo } from './support/capture-io.ts';
import { writeFlakyChain } from './support/record-scenario.ts';

const folder = mkdtempSync(join(tmpdir(), 'patternbench-replay-bad-'));
const scenario = writeFlakyChain(folder);

describe('run --replay, bad input', () => {
  it('refuses a file without recordings, or a missing file, with exit 2 and writes nothing', async () => {
    const plain = join(folder, 'plain.db');
    expect(await main(['run', scenario, '--pattern', 'sequential', '--db', plain, '--no-report', '--quiet'], captureIo())).toBe(0);
    for (const [source, message] of [
      [plain, `${plain} holds no recordings`],
      [join(folder, 'nowhere.db'), 'no results database at'],
    ] as const) {
      const out = join(folder, 'never.db');
      const io = captureIo();
      expect(await main(['run', scenario, '--replay', source, '--db', out, '--quiet'], io)).toBe(2);
      expect(io.stderr.join('')).toContain(message);
      expect(existsSync(out)).toBe(false);
    }
  });
});
